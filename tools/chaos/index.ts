// what the test suite runs of the chaos tool: the scenarios, their runner and the fuzz scenario
export { runScenario } from './run';
export { formatResult } from './scenario';
export type { ChaosForm, Scenario, ScenarioResult } from './scenario';
export { SCENARIOS } from './scenarios';
export { fuzzScenario } from './scenarios/7-fuzz';
