import { describe, expect, it } from 'vitest';
import { isPrivateUrl } from '../../src/load/private-url.js';

describe('isPrivateUrl', () => {
  it.each([
    ['http://localhost:8080/spec.yaml', true],
    ['http://api.localhost/spec.yaml', true],
    ['http://127.0.0.1/spec.yaml', true],
    ['http://127.1.2.3/spec.yaml', true],
    ['http://0x7f.1/spec.yaml', true],
    ['http://2130706433/spec.yaml', true],
    ['http://0.0.0.0/spec.yaml', true],
    ['http://10.1.2.3/spec.yaml', true],
    ['http://172.16.0.1/spec.yaml', true],
    ['http://172.31.255.255/spec.yaml', true],
    ['http://192.168.1.1/spec.yaml', true],
    ['http://169.254.169.254/latest/meta-data', true],
    ['http://100.64.0.1/spec.yaml', true],
    ['http://100.127.255.254/spec.yaml', true],
    ['http://[::1]/spec.yaml', true],
    ['http://[::]/spec.yaml', true],
    ['http://[fc00::1]/spec.yaml', true],
    ['http://[fd12:3456::1]/spec.yaml', true],
    ['http://[fe80::1]/spec.yaml', true],
    ['http://[::ffff:127.0.0.1]/spec.yaml', true],
    ['http://[::ffff:10.0.0.1]/spec.yaml', true],
    ['http://[::ffff:169.254.169.254]/spec.yaml', true],
    ['https://example.com/spec.yaml', false],
    ['https://localhost.example.com/spec.yaml', false],
    ['http://8.8.8.8/spec.yaml', false],
    ['http://172.32.0.1/spec.yaml', false],
    ['http://100.128.0.1/spec.yaml', false],
    ['http://[2001:4860:4860::8888]/spec.yaml', false],
    ['http://[::ffff:8.8.8.8]/spec.yaml', false],
    ['/tmp/spec.yaml', false],
    ['file:///tmp/spec.yaml', false],
    ['http://[bad/spec.yaml', false],
  ])('%s -> %s', (location, want) => {
    expect(isPrivateUrl(location)).toBe(want);
  });
});
