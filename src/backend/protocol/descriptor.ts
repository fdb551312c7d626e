import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

import descriptorJson from './proto/descriptor.json';

// Every int64 in our subset is an epoch-ms timestamp, a count or a database id, all far below 2^53,
// so decoding them as Number is safe.
export const LOADER_OPTIONS: protoLoader.Options = {
  keepCase: true,
  longs: Number,
  enums: String,
  defaults: true,
  oneofs: true,
};

/** The gRPC package definition for pluginv2, go-plugin's services and grpc.health.v1. */
export function loadProtocol(): ProtocolPackages {
  const definition = protoLoader.fromJSON(descriptorJson as Parameters<typeof protoLoader.fromJSON>[0], LOADER_OPTIONS);
  const root = grpc.loadPackageDefinition(definition) as unknown as ProtocolRoot;
  return {
    pluginv2: root.pluginv2,
    goplugin: root.plugin,
    health: root.grpc.health.v1,
  };
}

type Service = grpc.ServiceClientConstructor;

interface ProtocolRoot {
  pluginv2: ProtocolPackages['pluginv2'];
  plugin: ProtocolPackages['goplugin'];
  grpc: { health: { v1: ProtocolPackages['health'] } };
}

export interface ProtocolPackages {
  pluginv2: { Data: Service; Diagnostics: Service; Resource: Service };
  goplugin: { GRPCController: Service; GRPCStdio: Service };
  health: { Health: Service };
}
