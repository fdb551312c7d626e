// The protocol layer's public surface: a plugin implements DatasourcePlugin and hands it to serve().
export { serve, startServer, type PluginSource, type RunningServer, type ServerOptions } from './server';
export { encodeFrame, FrameEncodeError } from './frame';
export { createLogger, type HclogLogger, type LogLevel } from './logger';
export * from './types';
