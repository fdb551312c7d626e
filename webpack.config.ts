import CopyWebpackPlugin from 'copy-webpack-plugin';
import type { Configuration } from 'webpack';

import { copyFilePatterns } from './.config/bundler/copyFiles';
import grafanaConfig, { type Env } from './.config/webpack/webpack.config';

// Extends the scaffold's config for the nested datasource: its logo is copied to dist/datasource/img, backend executables
// of every target survive a frontend rebuild, and the backend's own JSON files (tsconfig, proto descriptor) stay out of dist.
const BACKEND_BINARIES = /(.*?_(amd64|arm(64)?)(\.exe)?$|.*?_darwin_.*|go_plugin_build_manifest)/;

// Bundled, not external: Grafana's plugin loader provides these only from 11.6.11, 12.0.10, 12.1.7 and 12.2.5 on, and
// grafanaDependency starts at 11.6.0. The bundled copy is React 18's, which Grafana 13 (React 19) cannot load: hence
// grafanaDependency ends before 13.0.0 (tests/grafana-rules/shared-dependencies.ts has the table and its sources).
const BUNDLED_NOT_EXTERNAL = ['react/jsx-runtime', 'react/jsx-dev-runtime'];

const config = async (env: Env): Promise<Configuration> => {
  const baseConfig = await grafanaConfig(env);
  const patterns = copyFilePatterns.map((pattern) =>
    pattern.from === '**/*.json' ? { ...pattern, globOptions: { ignore: ['**/backend/**'] } } : pattern
  );

  const externals = Array.isArray(baseConfig.externals)
    ? baseConfig.externals.filter((item) => typeof item !== 'string' || !BUNDLED_NOT_EXTERNAL.includes(item))
    : baseConfig.externals;

  return {
    ...baseConfig,
    externals,
    output: { ...baseConfig.output, clean: { keep: BACKEND_BINARIES } },
    plugins: [
      ...(baseConfig.plugins ?? []).filter((plugin) => !(plugin instanceof CopyWebpackPlugin)),
      new CopyWebpackPlugin({ patterns: [...patterns, { from: 'datasource/img', to: 'datasource/img' }] }),
    ],
  };
};

export default config;
