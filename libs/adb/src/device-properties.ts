/** `getprop` prints `[key]: [value]` lines; a value may span lines. */
export function parseGetprop(output: string): Record<string, string> {
  const props: Record<string, string> = {};
  for (const match of output.matchAll(/^\[([^\]\n]+)\]: \[([\s\S]*?)\]\r?$/gm)) props[match[1]] = match[2];
  return props;
}

/** `dumpsys battery` → the `level:` line (0–100), or null when it is not there. */
export function parseBatteryLevel(output: string): number | null {
  const match = /^\s*level:\s*(\d{1,3})\s*$/m.exec(output);
  if (!match) return null;
  const level = Number(match[1]);
  return level >= 0 && level <= 100 ? level : null;
}

export interface StaticDeviceProperties {
  model: string | null;
  product: string | null;
  sdk: number | null;
}

export function staticDeviceProperties(props: Record<string, string>): StaticDeviceProperties {
  const sdk = Number.parseInt(props['ro.build.version.sdk'] ?? '', 10);
  return {
    model: props['ro.product.model'] || null,
    product: props['ro.product.name'] || null,
    sdk: Number.isFinite(sdk) ? sdk : null,
  };
}
