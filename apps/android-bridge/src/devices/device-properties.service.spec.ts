import type { AdbExecutor } from '@ish/adb';
import { DevicePropertiesService } from './device-properties.service';

function fakeExecutor(answers: Record<string, () => Promise<{ stdout: string; exitCode: number | null }>>) {
  const calls: string[] = [];
  const executor = {
    readText: (serial: string, command: string) => {
      calls.push(`${serial} ${command}`);
      return answers[command]();
    },
  } as unknown as AdbExecutor;
  return { executor, calls };
}

const getprop = async () => ({ stdout: '[ro.product.model]: [Pixel]\n[ro.product.name]: [sim]\n[ro.build.version.sdk]: [33]\n', exitCode: 0 });
const battery = async () => ({ stdout: '  level: 64\n', exitCode: 0 });

describe('DevicePropertiesService', () => {
  it('reads getprop once and the battery with a TTL', async () => {
    const { executor, calls } = fakeExecutor({ getprop, dumpsys: battery });
    const service = new DevicePropertiesService(executor);
    expect(await service.get('d1')).toEqual({ model: 'Pixel', product: 'sim', sdk: 33, batteryLevel: 64 });
    expect(await service.get('d1')).toEqual({ model: 'Pixel', product: 'sim', sdk: 33, batteryLevel: 64 });
    expect(calls).toEqual(['d1 getprop', 'd1 dumpsys']);
    expect(service.cached('d1')).toEqual({ model: 'Pixel', product: 'sim', sdk: 33 });
    service.forget('d1');
    await service.get('d1');
    expect(calls).toHaveLength(4);
  });

  it('shares one read between concurrent callers', async () => {
    const { executor, calls } = fakeExecutor({ getprop, dumpsys: battery });
    const service = new DevicePropertiesService(executor);
    await Promise.all([service.get('d1'), service.get('d1'), service.get('d1')]);
    expect(calls).toEqual(['d1 getprop', 'd1 dumpsys']);
  });

  it('shows nulls for a device that cannot answer and caches nothing of it', async () => {
    const { executor, calls } = fakeExecutor({ getprop: () => Promise.reject(new Error('busy')), dumpsys: () => Promise.reject(new Error('busy')) });
    const service = new DevicePropertiesService(executor);
    expect(await service.get('d1')).toEqual({ model: null, product: null, sdk: null, batteryLevel: null });
    await service.get('d1');
    expect(calls).toHaveLength(4);
  });
});
