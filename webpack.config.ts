import CopyWebpackPlugin from 'copy-webpack-plugin';
import type { Configuration } from 'webpack';

import { copyFilePatterns } from './.config/bundler/copyFiles';
import grafanaConfig, { type Env } from './.config/webpack/webpack.config';

// Extends the scaffold's config for the nested datasource: its logo is copied to dist/datasource/img, backend executables
// of every target survive a frontend rebuild, and the backend's own JSON files (tsconfig, proto descriptor) stay out of dist.
const BACKEND_BINARIES = /(.*?_(amd64|arm(64)?)(\.exe)?$|.*?_darwin_.*|go_plugin_build_manifest)/;

const config = async (env: Env): Promise<Configuration> => {
  const baseConfig = await grafanaConfig(env);
  const patterns = copyFilePatterns.map((pattern) =>
    pattern.from === '**/*.json' ? { ...pattern, globOptions: { ignore: ['**/backend/**'] } } : pattern
  );

  return {
    ...baseConfig,
    output: { ...baseConfig.output, clean: { keep: BACKEND_BINARIES } },
    plugins: [
      ...(baseConfig.plugins ?? []).filter((plugin) => !(plugin instanceof CopyWebpackPlugin)),
      new CopyWebpackPlugin({ patterns: [...patterns, { from: 'datasource/img', to: 'datasource/img' }] }),
    ],
  };
};

export default config;
