/*
    Every construct kestrun-ts convert supports, in Kestrun's style.
    FileName: constructs.ps1
*/

import {
  addKrEndpoint,
  addKrMapRoute,
  enableKrConfiguration,
  getKrRequestQuery,
  getKrSessionInt32,
  newKrLogger,
  newKrServer,
  scriptParameters,
  setKrSessionInt32,
  startKrServer,
  writeKrJsonResponse,
  writeKrTextResponse,
} from 'kestrun-ts';

const { port, greeting, region, verbose2 } = scriptParameters({
  port: { type: 'int', default: 5000 },
  greeting: { type: 'string', default: 'Hello' },
  region: { type: 'string', env: 'KR_REGION', default: 'eu' },
  verbose2: { type: 'switch', default: false },
});

// Logging: the pipeline of logger cmdlets, the level by its alias -Level
newKrLogger().setKrLoggerLevel({ value: 'Information' })
  .addKrSinkConsole()
  .registerKrLogger({ name: 'console', setAsDefault: true });

newKrServer({ name: 'Constructs' });
addKrEndpoint({ port, selfSignedCert: true });

const limit = 3;
const banner = `Greeting: ${greeting}
Region: ${region.toUpperCase()}`;
const plain = 'literal $notAVariable';
const mode = verbose2 ? 'verbose' : limit > 2 ? 'normal' : 'quiet';
const sizes = [1, 2, 3];
const empty = [];
const tags = ['a', 'b'];
const ordered = { first: 1, second: 'two' };
const person = {
  name: 'max', // the user
  'e-mail': 'max@example.com',
};
console.log(['Banner:', banner].join(' '));
console.log(`Mode ${mode}, ${sizes.length} sizes, ${empty.length} empty, tags ${tags.join(' ')}, "quoted", it's ${person.name ?? ''}`);
console.log([plain.trim(), ordered.first].join(' '));

enableKrConfiguration();

// Positional arguments, -Pattern for -Path, and a value piped into a cmdlet
addKrMapRoute({
  verbs: 'Get',
  path: '/ping',
  scriptBlock: () => {
    writeKrTextResponse({ inputObject: 'pong' });
  },
});

addKrMapRoute({
  verbs: ['Get', 'Post'],
  path: '/check',
  scriptBlock: () => {
    const name = getKrRequestQuery({ name: 'name' });
    const count = 41 + 1;
    if (!name) {
      writeKrJsonResponse({ statusCode: 400, inputObject: { error: 'name is required' } });
      return;
    } else if (name?.trim()?.toLowerCase() === 'admin' && !(count <= 0)) {
      writeKrJsonResponse({ statusCode: 200, inputObject: { role: 'admin', count } });
      return;
    }
    const parts = name?.split('-');
    const first = parts?.[0];
    const isLong = (name?.length ?? 0) >= 10 || (parts?.length ?? 0) !== 1;
    const label = String(first ?? '') + '!';
    const flag = isLong;
    writeKrJsonResponse({
      inputObject: {
        name,
        first: label,
        long: flag,
        limit: limit * 2 - 1,
        mode,
      },
    });
  },
});

// Session values: $null + 1 is 1, as in PowerShell
addKrMapRoute({
  verbs: 'Get',
  path: '/visits',
  scriptBlock: async () => {
    const visits = await getKrSessionInt32({ key: 'visits' });
    await setKrSessionInt32({ key: 'visits', value: (visits ?? 0) + 1 });
    if (visits != null && visits < 0) {
      console.error(`negative visits: ${visits ?? ''}`);
    }
    writeKrJsonResponse({ inputObject: { visits: (visits ?? 0) + 1 } });
  },
});

await startKrServer({ closeLogsOnExit: true });
