import { handshakeLine, hasMagicCookie, negotiateVersion } from './handshake';

describe('handshake', () => {
  it('needs the exact cookie Grafana sets', () => {
    expect(hasMagicCookie({ grafana_plugin_type: 'datasource' })).toBe(true);
    expect(hasMagicCookie({ grafana_plugin_type_key: 'datasource' })).toBe(false);
    expect(hasMagicCookie({ grafana_plugin_type: 'app' })).toBe(false);
    expect(hasMagicCookie({})).toBe(false);
  });

  it('negotiates the highest common version, else offers its lowest', () => {
    expect(negotiateVersion('2')).toBe(2);
    expect(negotiateVersion('1, 2,3')).toBe(2);
    expect(negotiateVersion('3,4', [2, 3])).toBe(3);
    expect(negotiateVersion('1', [2, 3])).toBe(2);
    expect(negotiateVersion(undefined)).toBe(2);
    expect(negotiateVersion('junk')).toBe(2);
  });

  it('writes the go-plugin line with the grpc protocol field', () => {
    expect(handshakeLine(2, { network: 'tcp', host: '127.0.0.1', port: 38639 })).toBe('1|2|tcp|127.0.0.1:38639|grpc\n');
    expect(handshakeLine(2, { network: 'unix', path: '/run/plugins/plugin123' })).toBe(
      '1|2|unix|/run/plugins/plugin123|grpc\n'
    );
  });
});
