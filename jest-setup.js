// Jest setup provided by Grafana scaffolding
import { format } from 'node:util';

import './.config/jest-setup';

// A React or library warning is a bug the assertions did not see: console.error and console.warn fail the test
// that printed them, as the Playwright fixture does in the browser (tests/e2e/fixtures.ts).
const consoleProblems = [];
const recording =
  (level, print) =>
  (...args) => {
    consoleProblems.push(`console.${level}: ${format(...args)}`);
    print(...args);
  };
console.error = recording('error', console.error);
console.warn = recording('warn', console.warn);
afterEach(() => {
  const problems = consoleProblems.splice(0);
  if (problems.length) {
    throw new Error(`the test printed ${problems.length} warning(s) or error(s):\n${problems.join('\n')}`);
  }
});

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
