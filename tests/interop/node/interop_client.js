#!/usr/bin/env node
'use strict';

/*
 * A gRPC interop test client on @grpc/grpc-js, running the published interop cases.
 *
 *   node tests/interop/node/interop_client.js --server_port=50061 --test_case=all
 *   node tests/interop/node/interop_client.js --server_host=localhost --server_port=50061 \
 *       --use_tls --use_test_ca --ca_file=ca.pem --server_host_override=foo.test.google.fr --test_case=large_unary
 *
 * Prints "PASSED <case>" for each case that passes; for each that fails prints
 * "FAILED <case>: <reason>" to stderr. Exits 0 when all pass, 1 when any fails,
 * 2 on a bad command line. Needs `npm install` (or `npm ci`) in this directory.
 */

const fs = require('fs');
const path = require('path');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

const PROTO_ROOT = path.join(__dirname, '..', 'protos');
const FLAGS = {
  server_host: 'localhost',
  server_port: 0,
  test_case: 'large_unary',
  use_tls: false,
  use_test_ca: false,
  server_host_override: '',
  ca_file: '',
};

// Every call but the deadline case gets this deadline, so a server that never
// answers fails the case instead of hanging the run.
const RPC_TIMEOUT_MS = 30000;

// grpc-js compresses a channel's messages when this option names gzip (2);
// a message written with the NoCompress write flag (2) is sent uncompressed.
const GZIP = 2;
const NO_COMPRESS = 2;

const ECHO_INITIAL_KEY = 'x-grpc-test-echo-initial';
const ECHO_INITIAL_VALUE = 'test_initial_metadata_value';
const ECHO_TRAILING_KEY = 'x-grpc-test-echo-trailing-bin';
const ECHO_TRAILING_VALUE = Buffer.from([0xab, 0xab, 0xab]);

class UsageError extends Error {}
class CaseFailure extends Error {}

function parseFlags(argv) {
  const values = { ...FLAGS };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) {
      throw new UsageError(`unexpected argument '${arg}': flags look like --name=value`);
    }
    const equals = arg.indexOf('=');
    const name = equals >= 0 ? arg.slice(2, equals) : arg.slice(2);
    if (!(name in FLAGS)) {
      throw new UsageError(`unknown flag --${name} (known: ${Object.keys(FLAGS).map((n) => '--' + n).join(', ')})`);
    }
    const isBool = typeof FLAGS[name] === 'boolean';
    let value;
    if (equals >= 0) {
      value = arg.slice(equals + 1);
    } else if (isBool && !/^(true|false|1|0)$/i.test(argv[i + 1] ?? '')) {
      value = 'true';
    } else if (i + 1 < argv.length) {
      value = argv[++i];
    } else {
      throw new UsageError(`flag --${name} needs a value`);
    }
    if (isBool) {
      if (!/^(true|false|1|0)$/i.test(value)) {
        throw new UsageError(`flag --${name} takes true or false, not '${value}'`);
      }
      values[name] = /^(true|1)$/i.test(value);
    } else if (typeof FLAGS[name] === 'number') {
      if (!/^-?\d+$/.test(value)) {
        throw new UsageError(`flag --${name} takes an integer, not '${value}'`);
      }
      values[name] = Number(value);
    } else {
      values[name] = value;
    }
  }
  return values;
}

function loadTestingPackage() {
  const definition = protoLoader.loadSync(['grpc/testing/test.proto'], {
    includeDirs: [PROTO_ROOT],
    keepCase: true,
    longs: String,
    enums: String,
    defaults: true,
    oneofs: true,
  });
  return grpc.loadPackageDefinition(definition).grpc.testing;
}

// ---- helpers ------------------------------------------------------------------------------------------

function check(condition, reason) {
  if (!condition) {
    throw new CaseFailure(reason);
  }
}

function zeros(size) {
  return { body: Buffer.alloc(size) };
}

function checkZeros(payload, size) {
  check(payload, 'the response has no payload');
  const length = payload.body ? payload.body.length : 0;
  check(length === size, `payload is ${length} bytes, expected ${size}`);
  check(payload.body.every((b) => b === 0), 'payload is not all zeros');
}

function deadline(ms = RPC_TIMEOUT_MS) {
  return { deadline: Date.now() + ms };
}

function codeName(code) {
  return Object.keys(grpc.status).find((name) => grpc.status[name] === code) ?? String(code);
}

function describeError(error) {
  return error && error.code !== undefined ? `${codeName(error.code)} (${JSON.stringify(error.details)})` : String(error);
}

/** Expects error to be a gRPC error with code; returns it. */
function checkError(error, code, what) {
  if (!error) {
    throw new CaseFailure(`${what} succeeded, expected ${codeName(code)}`);
  }
  check(error.code === code, `${what} ended with ${describeError(error)}, expected ${codeName(code)}`);
  return error;
}

/** Awaits promise, which must reject with a gRPC error of code; returns the error. */
async function expectStatus(code, promise, what) {
  let error = null;
  try {
    await promise;
  } catch (e) {
    if (e instanceof CaseFailure) {
      throw e;
    }
    error = e;
  }
  return checkError(error, code, what);
}

/** A unary call; resolves to { error, response, headers, status } once the call has ended. */
function unary(client, method, request, metadata = new grpc.Metadata(), options = deadline()) {
  return new Promise((resolve) => {
    const result = { error: null, response: null, headers: null, status: null };
    const call = client[method](request, metadata, options, (error, response) => {
      result.error = error;
      result.response = response;
    });
    call.on('metadata', (headers) => {
      result.headers = headers;
    });
    call.on('status', (status) => {
      result.status = status;
      resolve(result);
    });
  });
}

/** A client-streaming call; resolves to { error, response } once the call has ended. */
function clientStreaming(client, write, metadata = new grpc.Metadata(), options = deadline()) {
  return new Promise((resolve) => {
    const result = { error: null, response: null };
    const call = client.StreamingInputCall(metadata, options, (error, response) => {
      result.error = error;
      result.response = response;
    });
    call.on('status', () => resolve(result));
    write(call);
  });
}

/** Reads a streaming call's responses one at a time, and its headers and final status. */
class Responses {
  constructor(call) {
    this.call = call;
    this.headers = new Promise((resolve) => call.on('metadata', resolve));
    this.status = new Promise((resolve) => call.on('status', resolve));
    this.iterator = call[Symbol.asyncIterator]();
  }

  /** The next response, or null once the call has ended successfully; rejects with the call's error. */
  async next() {
    const { value, done } = await this.iterator.next();
    return done ? null : value;
  }

  async all() {
    const responses = [];
    for (let response = await this.next(); response !== null; response = await this.next()) {
      responses.push(response);
    }
    return responses;
  }
}

function checkMetadata(headers, trailers, what) {
  const initial = headers ? headers.get(ECHO_INITIAL_KEY) : [];
  check(initial.length === 1 && initial[0] === ECHO_INITIAL_VALUE,
    `${what}: initial metadata ${ECHO_INITIAL_KEY} was ${JSON.stringify(initial)}`);
  const trailing = trailers ? trailers.get(ECHO_TRAILING_KEY) : [];
  check(trailing.length === 1 && Buffer.isBuffer(trailing[0]) && trailing[0].equals(ECHO_TRAILING_VALUE),
    `${what}: trailing metadata ${ECHO_TRAILING_KEY} was ${JSON.stringify(trailing)}`);
}

// ---- cases --------------------------------------------------------------------------------------------

const cases = {
  async empty_unary(ctx) {
    const { error, response } = await unary(ctx.client, 'EmptyCall', {});
    check(!error, `EmptyCall failed: ${describeError(error)}`);
    check(response && typeof response === 'object', `EmptyCall returned ${JSON.stringify(response)}`);
  },

  async large_unary(ctx) {
    const { error, response } = await unary(ctx.client, 'UnaryCall', { response_size: 314159, payload: zeros(271828) });
    check(!error, `UnaryCall failed: ${describeError(error)}`);
    checkZeros(response.payload, 314159);
  },

  async client_compressed_unary(ctx) {
    const request = (expect) => ({ expect_compressed: { value: expect }, response_size: 314159, payload: zeros(271828) });
    const probe = await unary(ctx.client, 'UnaryCall', request(true));
    checkError(probe.error, grpc.status.INVALID_ARGUMENT, 'the uncompressed probe with expect_compressed=true');

    const compressed = await unary(ctx.compressedClient(), 'UnaryCall', request(true));
    check(!compressed.error, `the compressed UnaryCall failed: ${describeError(compressed.error)}`);
    checkZeros(compressed.response.payload, 314159);

    const plain = await unary(ctx.client, 'UnaryCall', request(false));
    check(!plain.error, `the uncompressed UnaryCall failed: ${describeError(plain.error)}`);
    checkZeros(plain.response.payload, 314159);
  },

  // grpc-js decompresses before the application sees a message and does not
  // report a received message's compressed flag, so this case asks for each
  // compression and checks the responses' content only; it shows that the
  // server's compressed and uncompressed responses both decode.
  async server_compressed_unary(ctx) {
    for (const compressed of [true, false]) {
      const { error, response } = await unary(ctx.client, 'UnaryCall', {
        response_compressed: { value: compressed }, response_size: 314159, payload: zeros(271828),
      });
      check(!error, `UnaryCall with response_compressed=${compressed} failed: ${describeError(error)}`);
      checkZeros(response.payload, 314159);
    }
  },

  async client_streaming(ctx) {
    const { error, response } = await clientStreaming(ctx.client, (call) => {
      for (const size of [27182, 8, 1828, 45904]) {
        call.write({ payload: zeros(size) });
      }
      call.end();
    });
    check(!error, `StreamingInputCall failed: ${describeError(error)}`);
    check(response.aggregated_payload_size === 74922,
      `aggregated_payload_size is ${response.aggregated_payload_size}, expected 74922`);
  },

  async client_compressed_streaming(ctx) {
    const probe = await clientStreaming(ctx.client, (call) => {
      call.write({ expect_compressed: { value: true }, payload: zeros(27182) });
      call.end();
    });
    checkError(probe.error, grpc.status.INVALID_ARGUMENT, 'the uncompressed probe with expect_compressed=true');

    // On the gzip channel the first message is compressed; the second is
    // written with grpc-js's NoCompress write flag, so it goes uncompressed
    // on the same call, as the case describes.
    const { error, response } = await clientStreaming(ctx.compressedClient(), (call) => {
      call.write({ expect_compressed: { value: true }, payload: zeros(27182) });
      call.write({ expect_compressed: { value: false }, payload: zeros(45904) }, NO_COMPRESS);
      call.end();
    });
    check(!error, `the compressed StreamingInputCall failed: ${describeError(error)}`);
    check(response.aggregated_payload_size === 73086,
      `aggregated_payload_size is ${response.aggregated_payload_size}, expected 73086`);
  },

  async server_streaming(ctx) {
    const sizes = [31415, 9, 2653, 58979];
    const call = ctx.client.StreamingOutputCall(
      { response_parameters: sizes.map((size) => ({ size })) }, new grpc.Metadata(), deadline());
    const responses = new Responses(call);
    const received = await responses.all();
    check(received.length === sizes.length,
      `received ${received.length} responses, expected ${sizes.length}`);
    received.forEach((response, i) => checkZeros(response.payload, sizes[i]));
    const status = await responses.status;
    check(status.code === grpc.status.OK, `status is ${codeName(status.code)}`);
  },

  // As with server_compressed_unary, grpc-js cannot see per-message
  // compression, so the responses' sizes and content are what is checked.
  async server_compressed_streaming(ctx) {
    const call = ctx.client.StreamingOutputCall({
      response_parameters: [
        { size: 31415, compressed: { value: true } },
        { size: 92653, compressed: { value: false } },
      ],
    }, new grpc.Metadata(), deadline());
    const received = await new Responses(call).all();
    const sizes = received.map((response) => response.payload.body.length);
    check(sizes.length === 2 && sizes[0] === 31415 && sizes[1] === 92653,
      `response sizes were [${sizes}], expected [31415,92653]`);
    received.forEach((response) => checkZeros(response.payload, response.payload.body.length));
  },

  async ping_pong(ctx) {
    const steps = [[27182, 31415], [8, 9], [1828, 2653], [45904, 58979]];
    const call = ctx.client.FullDuplexCall(new grpc.Metadata(), deadline());
    const responses = new Responses(call);
    for (const [requestSize, responseSize] of steps) {
      call.write({ payload: zeros(requestSize), response_parameters: [{ size: responseSize }] });
      const response = await responses.next();
      check(response !== null, 'the stream ended before a response arrived');
      checkZeros(response.payload, responseSize);
    }
    call.end();
    check(await responses.next() === null, 'a response arrived after the last one');
    const status = await responses.status;
    check(status.code === grpc.status.OK, `status is ${codeName(status.code)}`);
  },

  async empty_stream(ctx) {
    const call = ctx.client.FullDuplexCall(new grpc.Metadata(), deadline());
    const responses = new Responses(call);
    call.end();
    check(await responses.next() === null, 'a response arrived on an empty stream');
    const status = await responses.status;
    check(status.code === grpc.status.OK, `status is ${codeName(status.code)}`);
  },

  async status_code_and_message(ctx) {
    await statusCodeAndMessage(ctx, 'test status message', false);
  },

  async special_status_message(ctx) {
    await statusCodeAndMessage(ctx, '\t\ntest with whitespace\r\nand Unicode BMP \u263a and non-BMP \u{1F608}\t\n', true);
  },

  async custom_metadata(ctx) {
    const metadata = () => {
      const m = new grpc.Metadata();
      m.set(ECHO_INITIAL_KEY, ECHO_INITIAL_VALUE);
      m.set(ECHO_TRAILING_KEY, ECHO_TRAILING_VALUE);
      return m;
    };

    const result = await unary(ctx.client, 'UnaryCall', { response_size: 314159, payload: zeros(271828) }, metadata());
    check(!result.error, `UnaryCall failed: ${describeError(result.error)}`);
    checkZeros(result.response.payload, 314159);
    checkMetadata(result.headers, result.status.metadata, 'UnaryCall');

    const call = ctx.client.FullDuplexCall(metadata(), deadline());
    const responses = new Responses(call);
    call.write({ payload: zeros(271828), response_parameters: [{ size: 314159 }] });
    call.end();
    const received = await responses.all();
    check(received.length === 1, `FullDuplexCall sent ${received.length} responses, expected 1`);
    checkZeros(received[0].payload, 314159);
    const status = await responses.status;
    checkMetadata(await responses.headers, status.metadata, 'FullDuplexCall');
  },

  async unimplemented_method(ctx) {
    const { error } = await unary(ctx.client, 'UnimplementedCall', {});
    checkError(error, grpc.status.UNIMPLEMENTED, 'TestService/UnimplementedCall');
  },

  async unimplemented_service(ctx) {
    const { error } = await unary(ctx.unimplementedClient(), 'UnimplementedCall', {});
    checkError(error, grpc.status.UNIMPLEMENTED, 'UnimplementedService/UnimplementedCall');
  },

  async cancel_after_begin(ctx) {
    const { error } = await clientStreaming(ctx.client, (call) => call.cancel());
    checkError(error, grpc.status.CANCELLED, 'StreamingInputCall cancelled after begin');
  },

  async cancel_after_first_response(ctx) {
    const call = ctx.client.FullDuplexCall(new grpc.Metadata(), deadline());
    const responses = new Responses(call);
    call.write({ payload: zeros(27182), response_parameters: [{ size: 31415 }] });
    const response = await responses.next();
    check(response !== null, 'no first response');
    checkZeros(response.payload, 31415);
    call.cancel();
    await expectStatus(grpc.status.CANCELLED, responses.next(), 'FullDuplexCall cancelled after the first response');
  },

  async timeout_on_sleeping_server(ctx) {
    const call = ctx.client.FullDuplexCall(new grpc.Metadata(), deadline(1));
    const responses = new Responses(call);
    call.write({ payload: zeros(27182) });
    await expectStatus(grpc.status.DEADLINE_EXCEEDED, responses.next(), 'FullDuplexCall with a 1 ms deadline');
  },
};

async function statusCodeAndMessage(ctx, message, unaryOnly) {
  const responseStatus = { code: 2, message };
  const { error } = await unary(ctx.client, 'UnaryCall', { response_status: responseStatus });
  checkError(error, grpc.status.UNKNOWN, 'UnaryCall with response_status');
  check(error.details === message,
    `UnaryCall status message was ${JSON.stringify(error.details)}, expected ${JSON.stringify(message)}`);
  if (unaryOnly) {
    return;
  }

  const call = ctx.client.FullDuplexCall(new grpc.Metadata(), deadline());
  const responses = new Responses(call);
  call.write({ response_status: responseStatus });
  call.end();
  const duplexError = await expectStatus(grpc.status.UNKNOWN, responses.next(), 'FullDuplexCall with response_status');
  check(duplexError.details === message,
    `FullDuplexCall status message was ${JSON.stringify(duplexError.details)}, expected ${JSON.stringify(message)}`);
}

// ---- main ---------------------------------------------------------------------------------------------

class Context {
  constructor(flags) {
    if (flags.server_port <= 0) {
      throw new UsageError('--server_port is required');
    }
    const host = flags.server_host.includes(':') ? `[${flags.server_host}]` : flags.server_host;
    this.target = `${host}:${flags.server_port}`;
    this.options = {};
    if (flags.use_tls) {
      let root = null;
      if (flags.use_test_ca) {
        const caFile = flags.ca_file || process.env.NREMNET_INTEROP_CA_FILE;
        if (!caFile) {
          throw new UsageError('--use_test_ca needs --ca_file=PATH naming the test CA in PEM');
        }
        root = fs.readFileSync(caFile);
      }
      this.credentials = grpc.credentials.createSsl(root);
      if (flags.server_host_override) {
        this.options['grpc.ssl_target_name_override'] = flags.server_host_override;
        this.options['grpc.default_authority'] = flags.server_host_override;
      }
    } else {
      this.credentials = grpc.credentials.createInsecure();
      if (flags.server_host_override) {
        this.options['grpc.default_authority'] = flags.server_host_override;
      }
    }
    this.testing = loadTestingPackage();
    this.clients = [];
    this.client = this.open(this.testing.TestService, {});
    this.unimplemented = null;
  }

  open(Service, extra) {
    const client = new Service(this.target, this.credentials, { ...this.options, ...extra });
    this.clients.push(client);
    return client;
  }

  /**
   * A client on a new channel whose messages are gzip-compressed unless written with NoCompress.
   *
   * Each compressed call gets a fresh channel: grpc-js remembers the server's
   * grpc-accept-encoding per channel and stops compressing when it does not
   * list gzip, but it splits that header on "," without trimming, so a server
   * sending "identity, deflate, gzip" (gRPC C-core does) turns compression off
   * for every later call on the channel.
   */
  compressedClient() {
    return this.open(this.testing.TestService, { 'grpc.default_compression_algorithm': GZIP });
  }

  unimplementedClient() {
    this.unimplemented ??= this.open(this.testing.UnimplementedService, {});
    return this.unimplemented;
  }

  close() {
    for (const client of this.clients) {
      client.close();
    }
  }
}

async function main(argv) {
  let flags;
  let ctx;
  try {
    flags = parseFlags(argv);
    if (flags.test_case !== 'all' && !(flags.test_case in cases)) {
      throw new UsageError(`unknown test case '${flags.test_case}' (known: all, ${Object.keys(cases).join(', ')})`);
    }
    ctx = new Context(flags);
  } catch (error) {
    if (error instanceof UsageError || error.code === 'ENOENT') {
      process.stderr.write(`interop_client: ${error.message}\n`);
      return 2;
    }
    throw error;
  }

  let failed = 0;
  try {
    for (const name of flags.test_case === 'all' ? Object.keys(cases) : [flags.test_case]) {
      try {
        await cases[name](ctx);
        process.stdout.write(`PASSED ${name}\n`);
      } catch (error) {
        failed++;
        const reason = error instanceof CaseFailure ? error.message
          : error && error.code !== undefined ? `unexpected RPC failure ${describeError(error)}`
            : String(error && error.stack ? error.stack : error);
        process.stderr.write(`FAILED ${name}: ${reason}\n`);
      }
    }
  } finally {
    ctx.close();
  }
  return failed ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (error) => {
    process.stderr.write(`interop_client: ${error && error.stack ? error.stack : error}\n`);
    process.exitCode = 1;
  });
