import { describe, expect, it } from 'vitest';
import { fifoLine, notifyScriptArgs, parseFifoLine } from '../../../src/vrrp/notify/format.js';

describe('notify formatting (keepalived exact)', () => {
  it('formats FIFO lines', () => {
    expect(fifoLine('INSTANCE', 'VI_1', 'MASTER', 100)).toBe('INSTANCE "VI_1" MASTER 100\n');
    expect(fifoLine('GROUP', 'G', 'BACKUP', 77)).toBe('GROUP "G" BACKUP 0\n');
    expect(fifoLine('INSTANCE', 'VI_1', 'MASTER_RX_LOWER_PRI', 150)).toBe('INSTANCE "VI_1" MASTER_RX_LOWER_PRI 150\n');
  });
  it('formats the generic notify arguments', () => {
    expect(notifyScriptArgs('INSTANCE', 'VI_1', 'FAULT', 90)).toEqual(['INSTANCE', 'VI_1', 'FAULT', '90']);
    expect(notifyScriptArgs('GROUP', 'G', 'MASTER', 90)).toEqual(['GROUP', 'G', 'MASTER', '0']);
  });
  it('parses lines back', () => {
    expect(parseFifoLine('INSTANCE "VI 1" BACKUP_PRIORITY 80\n')).toEqual({ scope: 'INSTANCE', name: 'VI 1', state: 'BACKUP_PRIORITY', priority: 80 });
    expect(parseFifoLine('VS [1.2.3.4]:tcp:80 UP')).toBeNull();
  });
});
