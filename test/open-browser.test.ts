// Which program opens a URL: the user's choice first, then the platform's, and none where there is no desktop.
import { describe, expect, it } from 'vitest';
import { browserCommand } from '../src/open-browser.js';

describe('browserCommand', () => {
  it('uses BROWSER, then the platform opener, and nothing on a Linux without a desktop', () => {
    expect(browserCommand({ BROWSER: 'firefox' }, 'linux')).toEqual(['firefox', []]);
    expect(browserCommand({}, 'darwin')).toEqual(['open', []]);
    expect(browserCommand({ DISPLAY: ':0' }, 'linux')).toEqual(['xdg-open', []]);
    expect(browserCommand({}, 'linux')).toBeUndefined();
  });
});
