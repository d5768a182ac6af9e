import { parseBatteryLevel, parseGetprop, staticDeviceProperties } from './device-properties';

describe('device properties', () => {
  const getprop = [
    '[ro.build.version.sdk]: [34]',
    '[ro.product.model]: [ISH Sim Pixel]',
    '[ro.product.name]: [ish_sim]',
    '[empty.value]: []',
    '[multi.line]: [first',
    'second]',
    '[crlf.value]: [x]\r',
    'garbage line',
  ].join('\n');

  it('parses getprop output', () => {
    expect(parseGetprop(getprop)).toEqual({
      'ro.build.version.sdk': '34',
      'ro.product.model': 'ISH Sim Pixel',
      'ro.product.name': 'ish_sim',
      'empty.value': '',
      'multi.line': 'first\nsecond',
      'crlf.value': 'x',
    });
  });

  it('picks model, product and SDK', () => {
    expect(staticDeviceProperties(parseGetprop(getprop))).toEqual({ model: 'ISH Sim Pixel', product: 'ish_sim', sdk: 34 });
    expect(staticDeviceProperties({})).toEqual({ model: null, product: null, sdk: null });
    expect(staticDeviceProperties({ 'ro.build.version.sdk': 'n/a' }).sdk).toBeNull();
  });

  it('reads the battery level from dumpsys battery', () => {
    const dumpsys = 'Current Battery Service state:\n  AC powered: false\n  USB powered: true\n  status: 2\n  level: 87\n  scale: 100\n';
    expect(parseBatteryLevel(dumpsys)).toBe(87);
    expect(parseBatteryLevel('Current Battery Service state:\r\n  level: 5\r\n')).toBe(5);
    expect(parseBatteryLevel('no battery here')).toBeNull();
    expect(parseBatteryLevel('  level: 250\n')).toBeNull();
  });
});
