import { parser } from '@prometheus-io/lezer-promql';

/**
 * The metric names a PromQL expression selects, read from the Prometheus project's own PromQL grammar
 * (VectorSelector identifiers and `{__name__="…"}` matchers). Throws on a syntax error.
 */
export function metricNamesIn(expression: string): string[] {
  const tree = parser.parse(expression);
  const names = new Set<string>();
  const cursor = tree.cursor();
  do {
    if (cursor.type.isError) throw new Error(`PromQL syntax error at ${cursor.from} in: ${expression}`);
    if (cursor.name === 'Identifier' && cursor.node.parent?.name === 'VectorSelector') {
      names.add(expression.slice(cursor.from, cursor.to));
    }
    if (cursor.name === 'LabelName' && expression.slice(cursor.from, cursor.to) === '__name__') {
      const value = cursor.node.parent?.getChild('StringLiteral');
      if (value) names.add(JSON.parse(expression.slice(value.from, value.to)) as string);
    }
  } while (cursor.next());
  return [...names];
}

/** Metric names of a Prometheus text exposition (`/metrics`): every sample's name and every `# TYPE` family. */
export function exposedMetricNames(exposition: string): Set<string> {
  const names = new Set<string>();
  for (const line of exposition.split('\n')) {
    const type = /^# TYPE (\S+) /.exec(line);
    if (type) names.add(type[1]);
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]/.exec(line);
    if (sample) names.add(sample[1]);
  }
  return names;
}

/** Grafana's template variables replaced by values PromQL accepts, so that a panel's query can be parsed. */
export function withoutGrafanaVariables(expression: string): string {
  return expression.replace(/\$__rate_interval|\$__interval|\$__range/g, '5m').replace(/\$\{?(\w+)\}?/g, '.*');
}
