import { expect } from 'chai';
import { KrCmdletError, KrParameterBindingError } from '../../src/index.ts';
import { createBinder } from '../../src/runtime/binding/bind-parameters.ts';
import type { BindingOptions } from '../../src/runtime/binding/bind-parameters.ts';
import { defineCmdlet } from '../../src/runtime/binding/define-cmdlet.ts';
import { intParameter, timeSpanParameter } from '../../src/runtime/binding/number-parameters.ts';
import type { ParameterSchema } from '../../src/runtime/binding/parameter-schema.ts';
import { inParameterSets } from '../../src/runtime/binding/parameter.ts';
import { castToInt32 } from '../../src/runtime/binding/powershell-cast.ts';
import { objectParameter, switchParameter, typedParameter } from '../../src/runtime/binding/switch-and-object-parameters.ts';
import { enumArrayParameter, enumParameter, stringArrayParameter, stringParameter } from '../../src/runtime/binding/text-parameters.ts';

const CMDLET = 'Test-KrBinding';

/** A schema that exercises every kind of parameter the cmdlets declare. */
const schema = {
  name: stringParameter({ mandatory: true }),
  path: stringParameter({ aliases: ['pattern'], pattern: /^\// }),
  port: intParameter({ min: 0, max: 65535 }),
  count: intParameter(),
  level: enumParameter(['Verbose', 'Debug', 'Information'], 'Serilog.Events.LogEventLevel'),
  verbs: enumArrayParameter(['Get', 'Post'], 'Kestrun.Utilities.HttpVerb', { aliases: ['method'] }),
  force: switchParameter(),
  mode: stringParameter({ validateSet: ['Throw', 'Skip'] }),
  tags: stringArrayParameter(),
  ipAddress: stringParameter({ psName: 'IPAddress' }),
  handler: typedParameter((value: unknown): value is () => void => typeof value === 'function', 'System.Management.Automation.ScriptBlock'),
  payload: objectParameter(),
  maxAge: timeSpanParameter(),
} satisfies ParameterSchema;

function bind(input: unknown, options?: BindingOptions) {
  return createBinder(CMDLET, schema, options)(input);
}

/** Binds and returns the binding error, failing the test if binding succeeded. */
function bindingError(input: unknown, schemaToUse: ParameterSchema = schema, options?: BindingOptions): KrParameterBindingError {
  try {
    createBinder(CMDLET, schemaToUse, options)(input);
  } catch (error) {
    expect(error).to.be.instanceOf(KrParameterBindingError);
    return error as KrParameterBindingError;
  }
  throw new Error('expected a binding error');
}

describe('createBinder (PowerShell parameter binding)', () => {
  describe('names', () => {
    it('binds camelCase names and reports which parameters were bound', () => {
      const { values, bound } = bind({ name: 'srv', port: 8080 });
      expect(values.name).to.equal('srv');
      expect(values.port).to.equal(8080);
      expect([...bound].sort()).to.deep.equal(['name', 'port']);
    });

    it('matches names case-insensitively, as PowerShell does', () => {
      const { values } = bind({ NAME: 'srv', Port: 1 });
      expect(values.name).to.equal('srv');
      expect(values.port).to.equal(1);
    });

    it('binds an alias to its parameter', () => {
      const { values, bound } = bind({ name: 'n', pattern: '/x' });
      expect(values.path).to.equal('/x');
      expect(bound.has('path')).to.equal(true);
    });

    it('rejects an unknown name, naming it, in PowerShell wording and with the cmdlet prefix', () => {
      const error = bindingError({ name: 'n', bogus: 1 });
      expect(error.message).to.equal(`${CMDLET}: A parameter cannot be found that matches parameter name 'bogus'.`);
      expect(error.parameter).to.equal('bogus');
      expect(error.cmdlet).to.equal(CMDLET);
      expect(error.name).to.equal('ParameterBindingException');
      expect(error).to.be.instanceOf(KrCmdletError);
    });

    it('rejects an unknown name even when its value is undefined (a typo must not pass silently)', () => {
      expect(bindingError({ name: 'n', prot: undefined }).parameter).to.equal('prot');
    });

    it('rejects a parameter given twice through its alias', () => {
      const error = bindingError({ name: 'n', path: '/a', pattern: '/b' });
      expect(error.message).to.equal(
        `${CMDLET}: Cannot bind parameter because parameter 'Path' is specified more than once. To provide multiple values to parameters that can accept multiple values, use the array syntax.`,
      );
      expect(error.parameter).to.equal('Path');
    });

    it('rejects a parameter given twice in two spellings', () => {
      expect(bindingError({ name: 'n', Port: 1, port: 2 }).parameter).to.equal('Port');
    });

    it('counts an explicit null as given when the alias is given too', () => {
      expect(bindingError({ name: 'n', path: null, pattern: '/b' }).parameter).to.equal('Path');
    });

    it('treats undefined as "not passed", so optional values can be spread', () => {
      const { values, bound } = bind({ name: 'n', path: undefined, pattern: '/b', port: undefined });
      expect(values.path).to.equal('/b');
      expect(bound.has('port')).to.equal(false);
    });

    it('uses the declared PowerShell name in messages when it is not the capitalised key', () => {
      const error = bindingError({ name: 'n', ipAddress: {} });
      expect(error.parameter).to.equal('IPAddress');
      expect(error.message).to.contain("parameter 'IPAddress'");
    });
  });

  describe('the input object', () => {
    for (const [label, input, got] of [
      ['an array', ['n'], 'an array'],
      ['a string', 'n', 'string'],
      ['a number', 42, 'number'],
      ['a function', () => undefined, 'function'],
    ] as const) {
      it(`rejects ${label} in place of an object of named parameters`, () => {
        const error = bindingError(input);
        expect(error.message).to.equal(
          // The hint spells the TypeScript function name, so the script author sees the expected call shape.
          `${CMDLET}: Cannot bind parameters: expected an object of named parameters, such as testKrBinding({ ... }), but got ${got}.`,
        );
      });
    }

    it('binds every call of one binder on its own: nothing of an earlier call carries over', () => {
      const binder = createBinder(CMDLET, schema);
      const first = binder({ name: 'a', port: 1 });
      const second = binder({ NAME: 'b' });
      expect(first.values).to.deep.equal({ name: 'a', port: 1 });
      expect(second.values).to.deep.equal({ name: 'b' });
      expect([...second.bound]).to.deep.equal(['name']);
      expect(() => binder({ name: 'c', Name: 'd' })).to.throw(KrParameterBindingError, /specified more than once/);
      expect(binder({ name: 'e' }).values).to.deep.equal({ name: 'e' });
    });

    it('accepts no argument at all when nothing is mandatory', () => {
      const optional = { port: intParameter() };
      expect(createBinder(CMDLET, optional)(undefined).bound.size).to.equal(0);
      expect(createBinder(CMDLET, optional)(null).bound.size).to.equal(0);
    });
  });

  describe('mandatory parameters', () => {
    it('names every missing mandatory parameter', () => {
      const twoMandatory = { name: stringParameter({ mandatory: true }), loggerConfig: objectParameter({ mandatory: true }) };
      const error = bindingError({}, twoMandatory);
      expect(error.message).to.equal(
        `${CMDLET}: Cannot process command because of one or more missing mandatory parameters: Name LoggerConfig.`,
      );
      expect(error.parameter).to.equal('Name');
    });

    it('rejects null for a mandatory parameter', () => {
      expect(bindingError({ name: null }).message).to.equal(`${CMDLET}: Cannot bind argument to parameter 'Name' because it is null.`);
    });

    it('rejects an empty string for a mandatory string', () => {
      expect(bindingError({ name: '' }).message).to.equal(
        `${CMDLET}: Cannot bind argument to parameter 'Name' because it is an empty string.`,
      );
    });

    it('accepts an empty string where the parameter allows it, and for optional strings', () => {
      const allowing = { text: stringParameter({ mandatory: true, allowEmptyString: true }), note: stringParameter() };
      expect(createBinder(CMDLET, allowing)({ text: '', note: '' }).values).to.deep.equal({ text: '', note: '' });
    });

    it('accepts null for an optional parameter as "not passed"', () => {
      const { bound } = bind({ name: 'n', port: null });
      expect(bound.has('port')).to.equal(false);
    });
  });

  describe('parameter sets', () => {
    const sets = {
      port: intParameter(),
      certPath: inParameterSets(['CertFile'], stringParameter({ mandatory: true })),
      certPassword: inParameterSets(['CertFile'], stringParameter()),
      selfSigned: inParameterSets(['SelfSigned'], switchParameter()),
      protocols: inParameterSets(['CertFile', 'SelfSigned'], stringParameter()),
    } satisfies ParameterSchema;
    const options: BindingOptions = { parameterSets: ['NoCert', 'CertFile', 'SelfSigned'], defaultParameterSet: 'NoCert' };

    it('chooses the default set when only shared parameters are bound', () => {
      expect(createBinder(CMDLET, sets, options)({ port: 1 }).parameterSet).to.equal('NoCert');
    });

    it('chooses the set of a set-specific parameter', () => {
      expect(createBinder(CMDLET, sets, options)({ certPath: '/c.pfx' }).parameterSet).to.equal('CertFile');
      expect(createBinder(CMDLET, sets, options)({ selfSigned: true }).parameterSet).to.equal('SelfSigned');
    });

    it('prefers, among the sets left, the one whose mandatory parameters are all bound', () => {
      // protocols is in CertFile and SelfSigned; CertFile would miss its mandatory CertPath, so PowerShell
      // (and Kestrun's Add-KrEndpoint -Protocols alone) lands in SelfSigned.
      expect(createBinder(CMDLET, sets, options)({ protocols: 'Http2' }).parameterSet).to.equal('SelfSigned');
    });

    it('narrows to the set every bound parameter shares, then reports what that set misses', () => {
      const error = bindingError({ protocols: 'Http1', certPassword: 'x' }, sets, options);
      expect(error.message).to.equal(`${CMDLET}: Cannot process command because of one or more missing mandatory parameters: CertPath.`);
    });

    it('rejects parameters of two different sets', () => {
      const error = bindingError({ certPath: '/c.pfx', selfSigned: true }, sets, options);
      expect(error.message).to.equal(
        `${CMDLET}: Parameter set cannot be resolved using the specified named parameters. One or more parameters issued cannot be used together or an insufficient number of parameters were provided.`,
      );
    });

    it('requires a mandatory parameter only in its own set', () => {
      expect(() => createBinder(CMDLET, sets, options)({ selfSigned: true })).not.to.throw();
      expect(bindingError({ certPassword: 'pw' }, sets, options).parameter).to.equal('CertPath');
    });

    it('ignores a null for a parameter that is mandatory only in another set', () => {
      expect(createBinder(CMDLET, sets, options)({ certPath: null, port: 2 }).parameterSet).to.equal('NoCert');
    });
  });

  describe('int parameters (PowerShell [int] cast)', () => {
    for (const [input, expected] of [
      [42, 42],
      ['42', 42],
      [' 7 ', 7],
      [true, 1],
      [1.5, 2],
      [2.5, 2],
      [3.5, 4],
      [0.5, 0],
      [-1.5, -2],
      [-2.5, -2],
      [2.4999, 2],
      ['2.5', 2],
      [2147483647, 2147483647],
      [-2147483648, -2147483648],
    ] as const) {
      it(`binds ${JSON.stringify(input)} as ${expected} (fractions round half to even)`, () => {
        expect(bind({ name: 'n', count: input }).values.count).to.equal(expected);
      });
    }

    for (const input of ['abc', '', '  ', {}, [1]]) {
      it(`rejects ${JSON.stringify(input)} as not a number`, () => {
        const error = bindingError({ name: 'n', count: input });
        expect(error.message).to.match(
          /^Test-KrBinding: Cannot process argument transformation on parameter 'Count'\. Cannot convert value ".*" to type "System\.Int32"\. Error: "Input string was not in a correct format\."$/,
        );
      });
    }

    for (const input of [2147483648, -2147483649, 1e20, Number.POSITIVE_INFINITY, Number.NaN]) {
      it(`rejects ${input} as out of Int32 range`, () => {
        expect(bindingError({ name: 'n', count: input }).message).to.contain('Value was either too large or too small for an Int32.');
      });
    }

    it('applies ValidateRange after the cast, with PowerShell wording', () => {
      expect(bindingError({ name: 'n', port: 70000 }).message).to.equal(
        `${CMDLET}: Cannot validate argument on parameter 'Port'. The 70000 argument is greater than the maximum allowed range of 65535.`,
      );
      expect(bindingError({ name: 'n', port: -1 }).message).to.equal(
        `${CMDLET}: Cannot validate argument on parameter 'Port'. The -1 argument is less than the minimum allowed range of 0.`,
      );
      // 65535.5 rounds to 65536 (even) before the range check, so it fails too.
      expect(bindingError({ name: 'n', port: 65535.5 }).message).to.contain('The 65536 argument');
      expect(bind({ name: 'n', port: 65535 }).values.port).to.equal(65535);
      expect(bind({ name: 'n', port: 0 }).values.port).to.equal(0);
    });

    it('castToInt32 itself rounds half to even and refuses what does not fit', () => {
      expect([0.5, 1.5, 2.5, -0.5, -1.5].map(castToInt32)).to.deep.equal([0, 2, 2, 0, -2]);
      expect(castToInt32(2147483647.5)).to.equal(undefined);
      expect(castToInt32(Number.NaN)).to.equal(undefined);
    });
  });

  describe('enum parameters', () => {
    for (const input of ['debug', 'DEBUG', 'Debug', ' debug ']) {
      it(`binds ${JSON.stringify(input)} case-insensitively to its declared spelling`, () => {
        expect(bind({ name: 'n', level: input }).values.level).to.equal('Debug');
      });
    }

    it('rejects an unknown member, listing the valid names as PowerShell does', () => {
      expect(bindingError({ name: 'n', level: 'Loud' }).message).to.equal(
        `${CMDLET}: Cannot bind parameter 'Level'. Cannot convert value "Loud" to type "Serilog.Events.LogEventLevel". Error: "Unable to match the identifier name Loud to a valid enumerator name. Specify one of the following enumerator names and try again:\nVerbose, Debug, Information"`,
      );
    });

    it('rejects a non-string value (enum ordinals are not accepted)', () => {
      expect(bindingError({ name: 'n', level: 1 }).parameter).to.equal('Level');
      expect(bindingError({ name: 'n', level: {} }).parameter).to.equal('Level');
    });

    it('binds an enum array from one value or a list, case-insensitively, frozen', () => {
      expect(bind({ name: 'n', verbs: 'post' }).values.verbs).to.deep.equal(['Post']);
      const { values } = bind({ name: 'n', method: ['get', 'POST'] });
      expect(values.verbs).to.deep.equal(['Get', 'Post']);
      expect(Object.isFrozen(values.verbs)).to.equal(true);
    });

    it('rejects an enum array with one bad member', () => {
      expect(bindingError({ name: 'n', verbs: ['Get', 'Fetch'] }).message).to.contain('Unable to match the identifier name Fetch');
    });
  });

  describe('switch parameters', () => {
    for (const [input, expected] of [
      [true, true],
      [false, false],
      [1, true],
      [0, false],
    ] as const) {
      it(`binds ${input} as ${expected}`, () => {
        expect(bind({ name: 'n', force: input }).values.force).to.equal(expected);
      });
    }

    for (const input of ['true', 'yes', 2, {}, []]) {
      it(`rejects ${JSON.stringify(input)}, so a typo cannot silently switch something on or off`, () => {
        const error = bindingError({ name: 'n', force: input });
        expect(error.message).to.match(
          /^Test-KrBinding: Cannot process argument transformation on parameter 'Force'\. Cannot convert value ".*" to type "System\.Management\.Automation\.SwitchParameter"\. Boolean parameters accept only Boolean values and numbers, such as \$True, \$False, 1 or 0\.$/,
        );
      });
    }
  });

  describe('string parameters', () => {
    it('applies ValidateSet case-insensitively and returns the declared spelling', () => {
      expect(bind({ name: 'n', mode: 'skip' }).values.mode).to.equal('Skip');
    });

    it('rejects a value outside ValidateSet with PowerShell wording', () => {
      expect(bindingError({ name: 'n', mode: 'Ignore' }).message).to.equal(
        `${CMDLET}: Cannot validate argument on parameter 'Mode'. The argument "Ignore" does not belong to the set "Throw,Skip" specified by the ValidateSet attribute. Supply an argument that is in the set and then try the command again.`,
      );
    });

    it('applies ValidatePattern with PowerShell wording', () => {
      expect(bind({ name: 'n', path: '/ok' }).values.path).to.equal('/ok');
      expect(bindingError({ name: 'n', path: 'relative' }).message).to.equal(
        `${CMDLET}: Cannot validate argument on parameter 'Path'. The argument "relative" does not match the "^\\/" pattern. Supply an argument that matches "^\\/" and try the command again.`,
      );
    });

    it('converts numbers and booleans to their text, as PowerShell does for [string]', () => {
      expect(bind({ name: 5 }).values.name).to.equal('5');
      expect(bind({ name: true }).values.name).to.equal('true');
    });

    it('rejects objects and arrays for a [string]', () => {
      expect(bindingError({ name: { a: 1 } }).message).to.equal(
        `${CMDLET}: Cannot bind parameter 'Name'. Cannot convert the "Object" value of type "Object" to type "System.String".`,
      );
      expect(bindingError({ name: ['a'] }).message).to.contain('"System.Object[]"');
    });

    it('binds a string array from one string or a list, frozen, and rejects non-string elements', () => {
      expect(bind({ name: 'n', tags: 'a' }).values.tags).to.deep.equal(['a']);
      const { values } = bind({ name: 'n', tags: ['a', ''] });
      expect(values.tags).to.deep.equal(['a', '']);
      expect(Object.isFrozen(values.tags)).to.equal(true);
      expect(bindingError({ name: 'n', tags: ['a', {}] }).parameter).to.equal('Tags');
      // An undefined element is a binding error too, not a TypeError from inside the binder.
      expect(bindingError({ name: 'n', tags: ['a', undefined] }).message).to.equal(
        `${CMDLET}: Cannot bind parameter 'Tags'. Cannot convert the "null" value of type "null" to type "System.String".`,
      );
    });
  });

  describe('typed, object and TimeSpan parameters', () => {
    it('accepts what the type guard accepts and names the expected .NET type otherwise', () => {
      const handler = (): void => undefined;
      expect(bind({ name: 'n', handler }).values.handler).to.equal(handler);
      expect(bindingError({ name: 'n', handler: 'Write-Host hi' }).message).to.equal(
        `${CMDLET}: Cannot bind parameter 'Handler'. Cannot convert the "Write-Host hi" value of type "System.String" to type "System.Management.Automation.ScriptBlock".`,
      );
    });

    it('passes any object through unchanged', () => {
      const payload = { a: [1] };
      expect(bind({ name: 'n', payload }).values.payload).to.equal(payload);
    });

    it('converts a TimeSpan parameter to milliseconds and prefixes conversion errors with the parameter', () => {
      expect(bind({ name: 'n', maxAge: 90 }).values.maxAge).to.equal(90_000);
      expect(bindingError({ name: 'n', maxAge: 'soon' }).message).to.match(
        /^Test-KrBinding: Cannot process argument transformation on parameter 'MaxAge'\. Invalid TimeSpan format: 'soon'\./,
      );
    });
  });

  describe('defineCmdlet', () => {
    it('binds before running the body, so a bad call never reaches it', () => {
      let ran = 0;
      const cmdlet = defineCmdlet('Get-KrThing', { count: intParameter({ mandatory: true }) }, ({ values }) => {
        ran++;
        return values.count * 2;
      });
      expect(cmdlet({ count: '21' as unknown as number })).to.equal(42);
      expect(() => cmdlet({ count: 'x' as unknown as number })).to.throw(KrParameterBindingError, /^Get-KrThing: /);
      expect(ran).to.equal(1);
    });
  });
});
