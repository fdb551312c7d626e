import * as grpc from '@grpc/grpc-js';
import protobuf from 'protobufjs/light';

import descriptorJson from './proto/descriptor.json';

// Service definitions built from the committed JSON descriptor with protobufjs/light: the same serializers
// @grpc/proto-loader would make (fromObject + encode, decode + toObject), without loading the .proto parser and
// descriptor machinery at start-up (about a fifth of the time to the handshake, measured).

// Every int64 in our subset is an epoch-ms timestamp, a count or a database id, all far below 2^53,
// so decoding them as Number is safe.
export const CONVERSION: protobuf.IConversionOptions = {
  longs: Number,
  enums: String,
  defaults: true,
  oneofs: true,
};

function serializer(type: protobuf.Type) {
  return (value: unknown): Buffer => {
    if (Array.isArray(value)) {
      throw new Error(`cannot serialize an array as ${type.name}`);
    }
    return Buffer.from(type.encode(type.fromObject(value as Record<string, unknown>)).finish());
  };
}

function deserializer(type: protobuf.Type) {
  return (bytes: Buffer): unknown => type.toObject(type.decode(bytes), CONVERSION);
}

function serviceDefinition(service: protobuf.Service, fullName: string): grpc.ServiceDefinition {
  const definition: Record<string, grpc.MethodDefinition<unknown, unknown>> = {};
  for (const method of service.methodsArray) {
    method.resolve();
    const request = method.resolvedRequestType!;
    const response = method.resolvedResponseType!;
    definition[method.name] = {
      path: `/${fullName}/${method.name}`,
      requestStream: !!method.requestStream,
      responseStream: !!method.responseStream,
      requestSerialize: serializer(request),
      requestDeserialize: deserializer(request),
      responseSerialize: serializer(response),
      responseDeserialize: deserializer(response),
      originalName: method.name,
    };
  }
  return definition;
}

/** Client constructors (with `.service` for servers) for pluginv2, go-plugin's services and grpc.health.v1. */
export function loadProtocol(): ProtocolPackages {
  const root = protobuf.Root.fromJSON(descriptorJson as protobuf.INamespace);
  const service = (fullName: string) =>
    grpc.makeGenericClientConstructor(serviceDefinition(root.lookupService(fullName), fullName), fullName);
  return {
    pluginv2: {
      Data: service('pluginv2.Data'),
      Diagnostics: service('pluginv2.Diagnostics'),
      Resource: service('pluginv2.Resource'),
    },
    goplugin: { GRPCController: service('plugin.GRPCController'), GRPCStdio: service('plugin.GRPCStdio') },
    health: { Health: service('grpc.health.v1.Health') },
  };
}

type Service = grpc.ServiceClientConstructor;

export interface ProtocolPackages {
  pluginv2: { Data: Service; Diagnostics: Service; Resource: Service };
  goplugin: { GRPCController: Service; GRPCStdio: Service };
  health: { Health: Service };
}
