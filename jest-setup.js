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

// Reports a fixed size once per observed element, so measured containers (panels) render their content.
class ResizeObserverStub {
  constructor(callback) {
    this.callback = callback;
  }
  observe(target) {
    const contentRect = { x: 0, y: 0, top: 0, left: 0, width: 1000, height: 600, right: 1000, bottom: 600 };
    this.callback([{ target, contentRect }], this);
  }
  unobserve() {}
  disconnect() {}
}

Object.assign(global, {
  IntersectionObserver: global.IntersectionObserver ?? IntersectionObserverStub,
  ResizeObserver: global.ResizeObserver ?? ResizeObserverStub,
});

// @grafana/ui measures text on a canvas (Combobox width); jsdom has no canvas: approximate 7 px per character.
HTMLCanvasElement.prototype.getContext = function getContext() {
  return { font: '', measureText: (text) => ({ width: String(text).length * 7 }) };
};
