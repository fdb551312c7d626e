import { LabelLimiter, resourceEndpoint } from './labels';

describe('LabelLimiter', () => {
  it('keeps known values, caps new ones and rejects odd text', () => {
    const l = new LabelLimiter(2);
    expect(l.value('dlqDepth')).toBe('dlqDepth');
    expect(l.value('health')).toBe('health');
    expect(l.value('third')).toBe('other');
    expect(l.value('dlqDepth')).toBe('dlqDepth');
    expect(new LabelLimiter().value('a b"}')).toBe('other');
    expect(new LabelLimiter().value('')).toBe('none');
  });
});

describe('resourceEndpoint', () => {
  it('uses the first path segment and folds unknown routes', () => {
    expect(resourceEndpoint('dlq/123/retry', 200)).toBe('dlq');
    expect(resourceEndpoint('/health?x=1', 200)).toBe('health');
    expect(resourceEndpoint('', 200)).toBe('root');
    expect(resourceEndpoint('random/junk', 404)).toBe('not_found');
  });
});
