import { execFileSync } from 'node:child_process';
import path from 'node:path';

import * as protoLoader from '@grpc/proto-loader';

import { loadProtocol } from './descriptor';
import descriptorJson from './proto/descriptor.json';

const repo = path.resolve(__dirname, '../../..');

describe('proto descriptor', () => {
  it('matches the .proto files (run `node scripts/gen-proto.mjs` when this fails)', () => {
    const out = execFileSync(process.execPath, ['scripts/gen-proto.mjs', '--check'], { cwd: repo, encoding: 'utf8' });
    expect(out).toContain('current');
  });

  it('exposes the method paths Grafana and go-plugin call', () => {
    const p = loadProtocol();
    const paths = [
      p.pluginv2.Data.service.QueryData.path,
      p.pluginv2.Diagnostics.service.CheckHealth.path,
      p.pluginv2.Diagnostics.service.CollectMetrics.path,
      p.pluginv2.Resource.service.CallResource.path,
      p.goplugin.GRPCController.service.Shutdown.path,
      p.goplugin.GRPCStdio.service.StreamStdio.path,
      p.health.Health.service.Check.path,
    ];
    expect(paths).toEqual([
      '/pluginv2.Data/QueryData',
      '/pluginv2.Diagnostics/CheckHealth',
      '/pluginv2.Diagnostics/CollectMetrics',
      '/pluginv2.Resource/CallResource',
      '/plugin.GRPCController/Shutdown',
      '/plugin.GRPCStdio/StreamStdio',
      '/grpc.health.v1.Health/Check',
    ]);
    expect(p.pluginv2.Resource.service.CallResource.responseStream).toBe(true);
  });

  it('encodes field numbers exactly as pluginv2 (DataSourceInstanceSettings.uid = 11, jsonData = 8)', () => {
    const p = loadProtocol();
    const req = p.pluginv2.Diagnostics.service.CheckHealth;
    const bytes = req.requestSerialize({
      pluginContext: { dataSourceInstanceSettings: { uid: 'u', jsonData: Buffer.from('{}') } },
    });
    // pluginContext (1, len) > dataSourceInstanceSettings (5, len) > jsonData (8, len) "{}", uid (11, len) "u"
    expect(Buffer.from(bytes).toString('hex')).toBe(
      Buffer.from([0x0a, 9, 0x2a, 7, 0x42, 2, 0x7b, 0x7d, 0x5a, 1, 0x75]).toString('hex')
    );
  });

  it('serializes and decodes exactly like @grpc/proto-loader with the same options', () => {
    const ours = loadProtocol().pluginv2.Data.service.QueryData;
    const reference = protoLoader.fromJSON(descriptorJson as Parameters<typeof protoLoader.fromJSON>[0], {
      keepCase: true,
      longs: Number,
      enums: String,
      defaults: true,
      oneofs: true,
    })['pluginv2.Data'] as unknown as Record<string, typeof ours>;
    const theirs = reference.QueryData;
    const request = {
      pluginContext: {
        orgId: 1,
        user: { login: 'ana', role: 'Editor' },
        dataSourceInstanceSettings: {
          uid: 'u',
          jsonData: Buffer.from('{"a":1}'),
          decryptedSecureJsonData: { token: 't' },
          lastUpdatedMS: 1767225600123,
        },
        grafanaConfig: { k: 'v' },
      },
      headers: { h: '1' },
      queries: [
        { refId: 'A', maxDataPoints: 10, timeRange: { fromEpochMS: 1, toEpochMS: 2 }, json: Buffer.from('{}') },
      ],
    };
    const bytes = ours.requestSerialize(request);
    expect(Buffer.from(bytes).equals(Buffer.from(theirs.requestSerialize(request)))).toBe(true);
    expect(ours.requestDeserialize(bytes)).toEqual(theirs.requestDeserialize(bytes));

    const health = loadProtocol().pluginv2.Diagnostics.service.CheckHealth;
    const reply = health.responseSerialize({ status: 'ERROR', message: 'm', jsonDetails: Buffer.from('{}') });
    expect(health.responseDeserialize(reply)).toEqual({
      status: 'ERROR',
      message: 'm',
      jsonDetails: Buffer.from('{}'),
    });
  });
});
