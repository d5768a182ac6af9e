import { isMetadataOrLinkLocal } from './outbound-address';
import { outboundUrlProblem } from './outbound-url';

describe('outbound URLs', () => {
  it.each(['169.254.169.254', '169.254.0.1', '[fe80::1]', 'metadata.google.internal', '100.100.100.200', '[::ffff:169.254.169.254]', '[fd00:ec2::254]', 'metadata.google.internal.', '169.254.169.254.'])(
    'refuses %s',
    (host) => {
      expect(isMetadataOrLinkLocal(host)).toBe(true);
      expect(outboundUrlProblem(`http://${host}/latest/meta-data`)).toMatch(/link-local|metadata/);
    },
  );

  it.each(['https://api.openai.com/v1', 'http://127.0.0.1:9100/v1', 'http://10.0.0.5:8000/v1', 'http://[::1]:11434/v1'])('accepts %s', (url) => {
    expect(outboundUrlProblem(url)).toBeNull();
  });

  it('explains what is wrong', () => {
    expect(outboundUrlProblem('not a url')).toBe('must be a valid http(s) URL');
    expect(outboundUrlProblem('ftp://host/x')).toBe('must use http or https');
    expect(outboundUrlProblem('https://user:pw@host/')).toMatch(/credentials/);
    expect(outboundUrlProblem(42)).toMatch(/http\(s\) URL/);
  });
});
