import { describe, expect, it } from 'vitest';
import { build } from './helpers.js';

describe('smoke', () => {
  it('builds a typical config', () => {
    const b = build(`
global_defs {
  router_id LVS_1
  notification_email { a@b.c
  d@e.f }
}
vrrp_script chk { script "/bin/true x" interval 2 weight -20 }
vrrp_instance VI_1 {
  state MASTER
  interface eth0
  virtual_router_id 51
  advert_int 1
  authentication {
    auth_type PASS
    auth_pass 123456789
  }
  track_script {
    chk
  }
  virtual_ipaddress {
    10.0.0.1/24 dev eth0 label eth0:1
  }
}
virtual_server 10.0.0.1 80 {
  lb_algo rr
  lb_kind DR
  real_server 10.0.0.2 80 {
    weight 3
    HTTP_GET {
      url { path / status_code 200 }
      nb_get_retry 3
    }
  }
}
`);
    expect(b.config.vrrpInstances).toHaveLength(1);
  });
});
