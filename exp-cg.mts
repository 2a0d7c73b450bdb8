import winston from 'winston';
import TransportStream from 'winston-transport';
let n = 0;
class T extends TransportStream { log(info: any, next: () => void) { n += info.message.length; next(); } logv(infos: any[], next: () => void) { for (const w of infos) n += w.chunk.message.length; next(); } }
const levels = { Fatal: 0, Error: 1, Warning: 2, Information: 3, Debug: 4, Verbose: 5 };
const passthrough = winston.format((info) => info)();
const t1 = new T({ level: 'Verbose' });
const l = winston.createLogger({ levels, level: 'Debug', format: passthrough, transports: [t1] });
const t4 = new T({ level: 'Verbose', highWaterMark: 100000 } as any);
const l2 = winston.createLogger({ levels, level: 'Debug', format: passthrough, transports: [t4] });
const t3 = new T({ level: 'Verbose' });
const variant = process.argv[2]; const count = Number(process.argv[3]);
const msg = () => ({ level: 'Debug', message: 'HTTP GET /hello responded 200 in 0.1 ms', timestamp: Date.now(), error: undefined });
const noop = () => {};
let corked = false;
const step: Record<string, () => void> = {
  none: () => { n += msg().message.length; },
  direct: () => t3.log(msg(), noop),
  winston: () => l.log(msg()),
  corked: () => { if (!corked) { corked = true; t4.cork(); setTimeout(() => { corked = false; t4.uncork(); }, 20); } l2.log(msg()); },
};
const f = step[variant]!;
for (let i = 0; i < count; i++) { f(); await new Promise<void>((r) => setImmediate(r)); }
console.log(variant, count, n);
