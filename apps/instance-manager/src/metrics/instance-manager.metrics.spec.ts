import { metricsRegistry } from '@ish/platform';
import { clearInstanceGauges, countScalingEvent, setInstanceGauges } from './instance-manager.metrics';

async function lines(prefix: string): Promise<string[]> {
  return (await metricsRegistry.metrics()).split('\n').filter((line) => line.startsWith(prefix));
}

describe('instance-manager metrics', () => {
  it('counts instances per provider type and status, and maps circuits to 0/1/2', async () => {
    setInstanceGauges(
      [
        { id: 'a', providerType: 'openai', status: 'healthy' },
        { id: 'b', providerType: 'openai', status: 'unhealthy' },
        { id: 'c', providerType: 'groq', status: 'unhealthy' },
        { id: 'd', providerType: 'groq', status: 'unhealthy' },
      ],
      new Map([
        ['b', 'open'],
        ['c', 'half_open'],
      ]),
    );
    expect(await lines('instance_manager_instances_healthy{')).toEqual([
      'instance_manager_instances_healthy{provider_type="openai"} 1',
      'instance_manager_instances_healthy{provider_type="groq"} 0',
    ]);
    expect(await lines('instance_manager_instances{')).toEqual([
      'instance_manager_instances{provider_type="openai",status="healthy"} 1',
      'instance_manager_instances{provider_type="openai",status="unhealthy"} 1',
      'instance_manager_instances{provider_type="groq",status="unhealthy"} 2',
    ]);
    expect(await lines('instance_manager_circuit_state{')).toEqual([
      'instance_manager_circuit_state{instance_id="a"} 0',
      'instance_manager_circuit_state{instance_id="b"} 2',
      'instance_manager_circuit_state{instance_id="c"} 1',
      'instance_manager_circuit_state{instance_id="d"} 0',
    ]);
  });

  it('forgets deleted instances on the next round, and everything once cleared', async () => {
    setInstanceGauges([{ id: 'a', providerType: 'openai', status: 'healthy' }], new Map());
    setInstanceGauges([{ id: 'b', providerType: 'openai', status: 'healthy' }], new Map());
    expect(await lines('instance_manager_circuit_state{')).toEqual(['instance_manager_circuit_state{instance_id="b"} 0']);
    clearInstanceGauges();
    expect(await lines('instance_manager_instances{')).toEqual([]);
  });

  it('counts scaling decisions by direction', async () => {
    countScalingEvent('up');
    countScalingEvent('up');
    countScalingEvent('down');
    expect(await lines('instance_manager_scaling_events_total{')).toEqual([
      'instance_manager_scaling_events_total{direction="up"} 2',
      'instance_manager_scaling_events_total{direction="down"} 1',
    ]);
  });
});
