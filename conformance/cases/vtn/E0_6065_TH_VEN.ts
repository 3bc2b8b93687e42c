import { vtnCase } from './scenarios/common.js';
import { createOptPrecedence } from './scenarios/events.js';

export default vtnCase({
  id: 'E0_6065_TH_VEN', delivery: 'push', needs: ['issueEvent'],
  title: 'VEN Ignore oadrCreatedEvent',
  requirement: 'After an event-scoped optIn by oadrCreateOpt, a later oadrCreatedEvent optOut does not take the VEN out of the event: the opt takes precedence.',
  run: createOptPrecedence,
});
