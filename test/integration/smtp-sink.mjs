// A tiny SMTP sink for the smtp_alert integration test: `node smtp-sink.mjs ADDRESS PORT` (run inside a
// namespace). Accepts every mail and prints one JSON line per session on stdout:
//   {"commands":["HELO x","MAIL FROM:<a>",...],"data":"Date: ...\r\n..."}
// plus "listening ADDRESS PORT" once ready. Plain JS (no build step needed).
import { createServer } from 'node:net';
import process from 'node:process';

const [host = '0.0.0.0', portArg = '25'] = process.argv.slice(2);
const server = createServer((sock) => {
  const session = { commands: [], data: null };
  let buf = '';
  let inData = false;
  sock.on('error', () => undefined);
  sock.on('close', () => process.stdout.write(`${JSON.stringify(session)}\n`));
  sock.write('220-sink.test ESMTP\r\n220 ready\r\n');
  sock.on('data', (chunk) => {
    buf += chunk.toString('latin1');
    for (;;) {
      if (inData) {
        const end = buf.indexOf('\r\n.\r\n');
        if (end < 0) return;
        session.data = buf.slice(0, end + 2);
        buf = buf.slice(end + 5);
        inData = false;
        sock.write('250 2.0.0 queued\r\n');
        continue;
      }
      const eol = buf.indexOf('\r\n');
      if (eol < 0) return;
      const line = buf.slice(0, eol);
      buf = buf.slice(eol + 2);
      session.commands.push(line);
      const verb = line.slice(0, 4).toUpperCase();
      if (verb === 'DATA') {
        inData = true;
        sock.write('354 go ahead\r\n');
      } else if (verb === 'QUIT') {
        sock.end('221 bye\r\n');
      } else if (verb === 'HELO' || verb === 'EHLO') {
        sock.write('250-sink.test\r\n250 OK\r\n');
      } else sock.write('250 OK\r\n');
    }
  });
});
server.listen(Number(portArg), host, () => process.stdout.write(`listening ${host} ${portArg}\n`));
process.on('SIGTERM', () => process.exit(0));
