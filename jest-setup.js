// Jest setup provided by Grafana scaffolding
import './.config/jest-setup';

// Scenes (lazy panels) and @grafana/ui observe visibility and size; jsdom implements neither.
class IntersectionObserverStub {
  constructor(callback) {
    this.callback = callback;
  }
  observe(target) {
    this.callback([{ isIntersecting: true, intersectionRatio: 1, target }], this);
  }
  unobserve() {}
  disconnect() {}
  takeRecords() {
    return [];
  }
}

class ResizeObserverStub {
  observe() {}
  unobserve() {}
  disconnect() {}
}

Object.assign(global, {
  IntersectionObserver: global.IntersectionObserver ?? IntersectionObserverStub,
  ResizeObserver: global.ResizeObserver ?? ResizeObserverStub,
});
