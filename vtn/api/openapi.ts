/** The operator API's OpenAPI 3.1 document, served at /openapi.json. */
export const openApiDocument = {
  openapi: '3.1.0',
  info: { title: 'FlexBridge VTN operator API', version: '0.1.0', description: 'Programs, events, VENs, opts and telemetry of the FlexBridge VTN, and a live feed of every state change.' },
  components: {
    securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
    schemas: {
      Error: { type: 'object', properties: { error: { type: 'string' }, responseCode: { type: 'integer', description: 'the OpenADR 2.0b code that fits' }, issues: { type: 'array' } }, required: ['error'] },
      Targets: { type: 'object', properties: { venIds: { type: 'array', items: { type: 'string' } }, groupIds: { type: 'array', items: { type: 'string' } }, resourceIds: { type: 'array', items: { type: 'string' } }, partyIds: { type: 'array', items: { type: 'string' } } }, additionalProperties: false },
      Signal: {
        type: 'object', required: ['signalName', 'signalType', 'intervals'], additionalProperties: false,
        properties: {
          signalName: { type: 'string', examples: ['SIMPLE', 'LOAD_DISPATCH'] }, signalType: { type: 'string', examples: ['level', 'delta', 'setpoint'] }, signalId: { type: 'string' },
          intervals: { type: 'array', items: { type: 'object', required: ['durationMs', 'value'], properties: { durationMs: { type: 'integer', minimum: 1 }, value: { type: 'number' } } } },
        },
      },
      EventInput: {
        type: 'object', required: ['programId', 'dtstart', 'signals'], additionalProperties: false,
        properties: {
          programId: { type: 'string' }, eventId: { type: 'string' }, dtstart: { oneOf: [{ type: 'string', format: 'date-time' }, { type: 'integer', description: 'epoch ms' }] },
          signals: { type: 'array', items: { $ref: '#/components/schemas/Signal' } }, targets: { $ref: '#/components/schemas/Targets' },
          responseRequired: { enum: ['always', 'never'] }, priority: { type: 'integer' }, startAfterMs: { type: 'integer' }, notificationMs: { type: 'integer' },
          rampUpMs: { type: 'integer' }, recoveryMs: { type: 'integer' }, testEvent: { type: 'boolean' }, vtnComment: { type: 'string' }, modificationReason: { type: 'string' },
          baseline: {
            type: 'object', required: ['dtstart', 'intervals'], additionalProperties: false, description: 'sent as the event\'s eiEventBaseline',
            properties: {
              dtstart: { oneOf: [{ type: 'string', format: 'date-time' }, { type: 'integer', description: 'epoch ms' }] }, baselineName: { type: 'string' }, resourceIds: { type: 'array', items: { type: 'string' } },
              intervals: { type: 'array', items: { type: 'object', required: ['durationMs', 'value'], properties: { durationMs: { type: 'integer', minimum: 1000 }, value: { type: 'number' } } } },
            },
          },
        },
      },
      ReportRequests: {
        type: 'object', required: ['requests'], additionalProperties: false,
        properties: {
          requests: {
            type: 'array', minItems: 1, items: {
              type: 'object', required: ['reportSpecifierId', 'granularityMs', 'reportBackMs'], additionalProperties: false,
              properties: {
                reportSpecifierId: { type: 'string', description: 'a report the VEN registered, or METADATA to have it register its reports again' },
                rIds: { type: 'array', items: { type: 'string' }, description: 'default: every data point of the report' },
                granularityMs: { type: 'integer', minimum: 0 }, reportBackMs: { type: 'integer', minimum: 0 },
                dtstart: { oneOf: [{ type: 'string', format: 'date-time' }, { type: 'integer' }], description: 'reporting window start; absent: one-shot' }, durationMs: { type: 'integer', minimum: 0 },
              },
            },
          },
        },
      },
      ProgramInput: { type: 'object', required: ['programId', 'name', 'marketContext'], properties: { programId: { type: 'string' }, name: { type: 'string' }, marketContext: { type: 'string', format: 'uri' }, timeZone: { type: 'string', description: 'IANA time zone of the program (default: policy.timeZone of the VTN configuration)' } } },
      VenAttributes: { type: 'object', properties: { groupIds: { type: 'array', items: { type: 'string' } }, resourceIds: { type: 'array', items: { type: 'string' } }, partyId: { type: 'string' } } },
      FeedEntry: { type: 'object', properties: { offset: { type: 'integer' }, at: { type: 'integer' }, kind: { enum: ['ven', 'event', 'eventResponse', 'opt', 'reportRegistration', 'reportRequest', 'reading', 'program', 'gridOrder'] }, data: {} } },
    },
  },
  security: [{ bearer: [] }],
  paths: {
    '/healthz': { get: { summary: 'liveness', security: [], responses: { 200: { description: 'ok' } } } },
    '/readyz': { get: { summary: 'readiness: the store answers, the OpenADR listener is open, the XMPP endpoint (if configured) is online', security: [], responses: { 200: { description: 'ready, with each check' }, 503: { description: 'not ready, with the checks that failed' } } } },
    '/api/programs': {
      get: { summary: 'list programs', responses: { 200: { description: 'programs' } } },
      post: { summary: 'create a program', requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/ProgramInput' } } } }, responses: { 201: { description: 'created' }, 400: { description: 'invalid', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } } } },
    },
    '/api/events': {
      get: { summary: 'list events (latest version of each)', responses: { 200: { description: 'events' } } },
      post: { summary: 'create an event; it reaches every targeted VEN', requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/EventInput' } } } }, responses: { 201: { description: 'created' }, 400: { description: 'invalid' } } },
    },
    '/api/events/{eventId}': {
      parameters: [{ name: 'eventId', in: 'path', required: true, schema: { type: 'string' } }],
      get: { summary: 'an event with its versions, targeted VENs, opt responses and each VEN\'s participation (an event opt outranks oadrCreatedEvent)', responses: { 200: { description: 'event' }, 404: { description: 'unknown' } } },
      put: { summary: 'modify an event (modificationNumber + 1)', requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/EventInput' } } } }, responses: { 200: { description: 'modified' } } },
    },
    '/api/events/{eventId}/cancel': { parameters: [{ name: 'eventId', in: 'path', required: true, schema: { type: 'string' } }], post: { summary: 'cancel an event', responses: { 200: { description: 'cancelled' } } } },
    '/api/vens': { get: { summary: 'list VENs and their state', responses: { 200: { description: 'VENs' } } } },
    '/api/vens/{venId}': {
      parameters: [{ name: 'venId', in: 'path', required: true, schema: { type: 'string' } }],
      get: { summary: 'a VEN with its report registrations, requests and pending messages', responses: { 200: { description: 'VEN' } } },
      patch: { summary: 'set targeting attributes (groups, resources, party)', requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/VenAttributes' } } } }, responses: { 200: { description: 'updated' } } },
    },
    '/api/vens/{venId}/reregister': { parameters: [{ name: 'venId', in: 'path', required: true, schema: { type: 'string' } }], post: { summary: 'send oadrRequestReregistration', responses: { 202: { description: 'queued' } } } },
    '/api/vens/{venId}/reports': {
      parameters: [{ name: 'venId', in: 'path', required: true, schema: { type: 'string' } }],
      post: { summary: 'ask the VEN for reports it registered (one oadrCreateReport)', requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/ReportRequests' } } } }, responses: { 202: { description: 'queued, with the reportRequestIDs' }, 400: { description: 'invalid' } } },
    },
    '/api/vens/{venId}/reports/cancel': {
      parameters: [{ name: 'venId', in: 'path', required: true, schema: { type: 'string' } }],
      post: { summary: 'cancel report requests (oadrCancelReport)', requestBody: { content: { 'application/json': { schema: { type: 'object', required: ['reportRequestIds'], properties: { reportRequestIds: { type: 'array', items: { type: 'string' } }, reportToFollow: { type: 'boolean' } } } } } }, responses: { 202: { description: 'queued' } } },
    },
    '/api/vens/{venId}/cancel-registration': { parameters: [{ name: 'venId', in: 'path', required: true, schema: { type: 'string' } }], post: { summary: 'send oadrCancelPartyRegistration', responses: { 202: { description: 'queued' } } } },
    '/api/opts': { get: { summary: 'opts (availability schedules and event opts)', parameters: [{ name: 'venId', in: 'query', schema: { type: 'string' } }], responses: { 200: { description: 'opts' } } } },
    '/api/readings': {
      get: {
        summary: 'telemetry readings', responses: { 200: { description: 'readings' } },
        parameters: ['venId', 'rId'].map((name) => ({ name, in: 'query', schema: { type: 'string' } })).concat(['from', 'to', 'limit'].map((name) => ({ name, in: 'query', schema: { type: 'integer' } })) as never[]),
      },
    },
    '/api/feed': {
      get: {
        summary: 'state changes after an offset, oldest first; waits up to waitMs for new ones (long poll)',
        parameters: [{ name: 'after', in: 'query', schema: { type: 'integer', default: 0 } }, { name: 'limit', in: 'query', schema: { type: 'integer', default: 500 } }, { name: 'waitMs', in: 'query', schema: { type: 'integer', default: 0, maximum: 60000 } }],
        responses: { 200: { description: 'entries', content: { 'application/json': { schema: { type: 'object', properties: { entries: { type: 'array', items: { $ref: '#/components/schemas/FeedEntry' } }, next: { type: 'integer' } } } } } } },
      },
    },
  },
} as const;
