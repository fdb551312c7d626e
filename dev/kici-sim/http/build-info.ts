// The build constants KiCI reports on /health (orchestrator and agent), per release line
// (samples/health.json for 0.9.1, samples/agent1.health.json and contract §8 for 0.1.24).
export interface BuildInfo {
  buildDate: string;
  buildCommit: string;
  sdkBundleHash: string;
  sharedBundleHash: string;
  engineBundleHash: string;
}

const V091: BuildInfo = {
  buildDate: '2026-09-22T01:37:00.466Z',
  buildCommit: '38c8c0e0b',
  sdkBundleHash: 'b012bd8bace3df9e574252bf290c652bc39766da617acf51729a08586756266d',
  sharedBundleHash: '500b8ea553b9686ed8e5f6dda956dbcf2d429fed6153c46aefdc687643c2dfc5',
  engineBundleHash: 'c5e0e34d8d7f56f747bba71076a5fbccac4c932be855ef71c596b4211ca8698c',
};

const V0124: BuildInfo = {
  buildDate: '2026-06-28T16:20:00.000Z',
  buildCommit: 'd279b93',
  sdkBundleHash: '031712cf8cd02f483365113aad7e946da982110d544b177eb05edcc0d4421253',
  sharedBundleHash: 'b977224129c767c4851458a795fa470264b2fc51255baf06cf14640e29e2f44c',
  engineBundleHash: '734acca885cd70eed07a1a9426b08c04c07a9bf99484c18100d3d797b3eb8f39',
};

export function buildInfo(version: string): BuildInfo {
  return version.startsWith('0.1.') ? V0124 : V091;
}
