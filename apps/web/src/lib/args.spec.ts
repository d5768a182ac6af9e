import { splitArgs } from './args';

describe('splitArgs', () => {
  it('splits at runs of whitespace', () => {
    expect(splitArgs('  ro.product.model   ro.build.version.sdk ')).toEqual(['ro.product.model', 'ro.build.version.sdk']);
    expect(splitArgs('')).toEqual([]);
  });

  it('keeps quoted spaces, empty quoted arguments and escaped characters', () => {
    expect(splitArgs(`"hello world" 'it''s' "" a\\ b "say \\"hi\\""`)).toEqual(['hello world', 'its', '', 'a b', 'say "hi"']);
  });

  it('passes shell metacharacters on as text', () => {
    expect(splitArgs('a;reboot $(id) `x` | &&')).toEqual(['a;reboot', '$(id)', '`x`', '|', '&&']);
  });

  it('refuses an unclosed quote', () => {
    expect(() => splitArgs('"open')).toThrow('The double quote is not closed');
    expect(() => splitArgs("'open")).toThrow('The single quote is not closed');
  });
});
