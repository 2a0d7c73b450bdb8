import { isIP } from 'node:net';
import { cmdletErrorFrom, KrCmdletError } from '../../runtime/binding/cmdlet-error.ts';
import { defineCmdlet } from '../../runtime/binding/define-cmdlet.ts';
import { intParameter } from '../../runtime/binding/number-parameters.ts';
import type { CmdletInput } from '../../runtime/binding/parameter-schema.ts';
import { inParameterSets } from '../../runtime/binding/parameter.ts';
import { switchParameter } from '../../runtime/binding/switch-and-object-parameters.ts';
import { enumArrayParameter, enumParameter, stringParameter } from '../../runtime/binding/text-parameters.ts';
import { resolveEndpointBinding } from '../../runtime/endpoint/endpoint-binding.ts';
import { endpointSpecs } from '../../runtime/endpoint/endpoint-specs.ts';
import { commitDefinition } from '../../runtime/host/host-registry.ts';
import { resolveServer } from '../../runtime/host/resolve-server.ts';
import { HTTP_PROTOCOLS } from '../../runtime/host/server-definition.ts';
import type { EndpointDefinition, ServerDefinition } from '../../runtime/host/server-definition.ts';

const CMDLET = 'Add-KrEndpoint';
const CERTIFICATE_SETS = ['CertFile', 'SelfSignedCert'];

export const addKrEndpointParameters = {
  port: intParameter({ min: 0, max: 65535, defaultValue: '5000 (0: a free port)' }),
  ipAddress: stringParameter({ psName: 'IPAddress', defaultValue: '127.0.0.1' }),
  hostName: stringParameter(),
  uri: stringParameter(),
  addressFamily: enumArrayParameter(['InterNetwork', 'InterNetworkV6'], 'System.Net.Sockets.AddressFamily'),
  certPath: inParameterSets(['CertFile'], stringParameter({ mandatory: true })),
  certPassword: inParameterSets(['CertFile'], stringParameter({ allowEmptyString: true })),
  selfSignedCert: inParameterSets(['SelfSignedCert'], switchParameter({ aliases: ['selfSigned', 'selfSignedCertificate'] })),
  protocols: inParameterSets(CERTIFICATE_SETS, enumParameter(HTTP_PROTOCOLS, 'Microsoft.AspNetCore.Server.Kestrel.Core.HttpProtocols', { defaultValue: 'Http1AndHttp2 with TLS, else Http1' })),
  useConnectionLogging: switchParameter(),
  passThru: switchParameter(),
};

/**
 * Add-KrEndpoint: one more listener for the current server. The address follows Kestrun's
 * Resolve-KrEndpointBinding order (parameters, ASPNETCORE_URLS, PORT, 127.0.0.1:5000); TLS comes only from
 * the certificate parameters. Returns the new definition, or with `passThru` the endpoint specs
 * (`127.0.0.1:5000`, `localhost:5000`) that Kestrun returns.
 */
export const addKrEndpoint = defineCmdlet(
  CMDLET,
  addKrEndpointParameters,
  ({ values, parameterSet }): ServerDefinition | readonly string[] => {
    const record = resolveServer(CMDLET, undefined);
    if (record.state !== 'defined') {
      throw new KrCmdletError(CMDLET, 'Cannot add endpoint to a server that is already configured. Please create a new server instance.');
    }
    if (values.ipAddress !== undefined && isIP(values.ipAddress) === 0) {
      throw new KrCmdletError(
        CMDLET,
        `Cannot process argument transformation on parameter 'IPAddress'. Cannot convert value "${values.ipAddress}" to type "System.Net.IPAddress". Error: "An invalid IP address was specified."`,
        { parameter: 'IPAddress' },
      );
    }
    let binding;
    try {
      binding = resolveEndpointBinding(
        {
          ...(values.port === undefined ? {} : { port: values.port }),
          ...(values.ipAddress === undefined ? {} : { ipAddress: values.ipAddress }),
          ...(values.hostName === undefined ? {} : { hostName: values.hostName }),
          ...(values.uri === undefined ? {} : { uri: values.uri }),
          ...(values.addressFamily === undefined ? {} : { addressFamily: [...values.addressFamily] }),
        },
        process.env,
      );
    } catch (error) {
      throw cmdletErrorFrom(CMDLET, error);
    }
    const tls: EndpointDefinition['tls'] =
      parameterSet === 'CertFile'
        ? { kind: 'certificateFile', path: values.certPath as string, password: values.certPassword }
        : values.selfSignedCert
          ? { kind: 'selfSigned' }
          : undefined;
    const endpoint: EndpointDefinition = {
      binding,
      tls,
      protocols: values.protocols ?? (tls === undefined ? 'Http1' : 'Http1AndHttp2'),
      useConnectionLogging: values.useConnectionLogging ?? false,
    };
    const definition = commitDefinition(record, { ...record.definition, endpoints: [...record.definition.endpoints, endpoint] });
    return values.passThru ? Object.freeze(endpointSpecs(binding)) : definition;
  },
  { parameterSets: ['NoCert', 'CertFile', 'SelfSignedCert'], defaultParameterSet: 'NoCert' },
) as AddKrEndpoint;

type AddKrEndpointInput = CmdletInput<typeof addKrEndpointParameters>;

/** With `passThru: true` it returns Kestrun's endpoint specs; otherwise the new server definition. */
interface AddKrEndpoint {
  (input: AddKrEndpointInput & { passThru: true }): readonly string[];
  (input?: AddKrEndpointInput): ServerDefinition;
}
