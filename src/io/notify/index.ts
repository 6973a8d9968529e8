/**
 * Notify side effects: script runner (notify_* / vrrp_script / fifo scripts), script_user
 * resolution and the ordered FIFO writer.
 */
export * from './script-runner.js';
export * from './script-user.js';
export * from './fifo-writer.js';
export * from './fifo-script.js';
