/*
    Sample Kestrun Server Configuration – Hello World
    FileName: 1.1-Hello-World.ps1
*/

import {
  addKrEndpoint,
  addKrMapRoute,
  enableKrConfiguration,
  newKrServer,
  scriptParameters,
  startKrServer,
  writeKrTextResponse,
} from 'kestrun-ts';

const { port, ipAddress } = scriptParameters({
  port: { type: 'int', default: 5000 },
  ipAddress: { type: 'ipAddress', default: '127.0.0.1' },
});

// Create a new Kestrun server
newKrServer({ name: 'Simple Server' });

// Add a listener on the configured port and IP address
addKrEndpoint({ port, ipAddress });

// Enable Kestrun configuration
enableKrConfiguration();

// Map the route
addKrMapRoute({
  verbs: 'Get',
  path: '/hello',
  scriptBlock: () => {
    writeKrTextResponse({ inputObject: 'Hello, World!', statusCode: 200 });
  },
});

// Start the server
await startKrServer();
