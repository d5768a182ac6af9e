import { ApiError } from '@ish/platform';
import { SerialPipe } from './serial.pipe';

describe('SerialPipe', () => {
  const pipe = new SerialPipe();

  it.each(['emulator-5554', 'R58M123ABC', '127.0.0.1:6101', 'adb-XYZ._adb-tls-connect._tcp'])('accepts %s', (serial) => {
    expect(pipe.transform(serial)).toBe(serial);
  });

  it.each(['', ' x', 'a b', 'a;b', '../x', '-rf', 'x'.repeat(129), 'a\nb'])('refuses %j with 400', (serial) => {
    expect(() => pipe.transform(serial)).toThrow(ApiError);
  });
});
