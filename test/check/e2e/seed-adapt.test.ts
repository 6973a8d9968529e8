import { describe, expect, it } from 'vitest';
import { adaptSeedConf, SeedAdaptError } from './seed-adapt.js';

const SEED = `virtual_server 192.168.1.199 80 {
    delay_loop 6
    real_server 192.168.1.222 80 {
        weight 1
        SSL_GET { # comment kept
            url {
                path /mrtg/
                digest 9b3a0c85a887a256d6939da88aabd8cd
            }
            connect_timeout 3 # seconds
            delay_before_retry 3
        }
    }
}`;

describe('adaptSeedConf', () => {
  it('rewrites addresses, ports, delays, digests and the checker kind, and inserts lines after block openers', () => {
    const out = adaptSeedConf(SEED, {
      servers: new Map([
        ['192.168.1.199 80', { address: '127.0.0.199', port: 4000 }],
        ['192.168.1.222 80', { address: '127.0.0.222', port: 4001 }],
      ]),
      delays: { delay_loop: 0.2, connect_timeout: 1 },
      digests: new Map([['/mrtg/', 'aa']]),
      checkerKind: { from: 'SSL_GET', to: 'HTTP_GET' },
      virtualServerLines: (k) => [`! vs ${k}`],
      realServerLines: (k) => [`! rs ${k}`],
      checkerLines: ['retry 1'],
    });
    expect(out.split('\n')).toEqual([
      'virtual_server 127.0.0.199 4000 {',
      '    ! vs 192.168.1.199 80',
      '    delay_loop 0.2',
      '    real_server 127.0.0.222 4001 {',
      '        ! rs 192.168.1.222 80',
      '        weight 1',
      '        HTTP_GET { # comment kept',
      '            retry 1',
      '            url {',
      '                path /mrtg/',
      '                digest aa',
      '            }',
      '            connect_timeout 1 # seconds',
      '            delay_before_retry 3',
      '        }',
      '    }',
      '}',
    ]);
  });

  it('refuses unmapped servers and digests of unknown paths', () => {
    expect(() => adaptSeedConf(SEED, { servers: new Map() })).toThrow(SeedAdaptError);
    const servers = new Map([
      ['192.168.1.199 80', { address: '127.0.0.1', port: 1 }],
      ['192.168.1.222 80', { address: '127.0.0.1', port: 2 }],
    ]);
    expect(() => adaptSeedConf(SEED, { servers, digests: new Map([['/', 'aa']]) })).toThrow('no digest for path /mrtg/');
  });
});
