import { redactUrl, redactUrlsIn } from './redact';

describe('redactUrl', () => {
  it.each([
    ['ftp://user:SECRET@host', 'ftp://[redacted]@host'],
    ['http://user:SECRET@host:999999', 'http://[redacted]@host:999999'],
    ['http://orch-a:4000/kici?token=SECRET', 'http://orch-a:4000/kici?[redacted]'],
    ['http://orch-a:4000/#SECRET', 'http://orch-a:4000/#[redacted]'],
    ['https://h?SECRET#SECRET', 'https://h?[redacted]#[redacted]'],
    ['http://u:SE/CR?E#T@host/p', 'http://[redacted]'],
    ['ftp://h:1/?token=SEC@RET', 'ftp://[redacted]'],
    ['http://u:SE/CRET@host/p', 'http://[redacted]@host/p'],
    ['user:SECRET@db.internal', '[redacted]@db.internal'],
    ['http://orch-a:4000/base', 'http://orch-a:4000/base'],
    ['not a url at all', 'not a url at all'],
  ])('%s -> %s', (raw, shown) => {
    expect(redactUrl(raw)).toBe(shown);
  });

  it('redacts every URL inside a text and leaves the rest', () => {
    expect(redactUrlsIn('connect http://a:SECRET@h:1/x?t=SECRET failed; retry "https://ok:4000/p"')).toBe(
      'connect http://[redacted]@h:1/x?[redacted] failed; retry "https://ok:4000/p"'
    );
  });
});
