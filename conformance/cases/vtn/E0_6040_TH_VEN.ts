import { vtnCase } from './scenarios/common.js';
import { mixedCreatedEvent } from './scenarios/events.js';

export default vtnCase({
  id: 'E0_6040_TH_VEN', delivery: 'push', needs: ['issueEvent'],
  title: 'VTN Event - x Created Events, Mixed Simple/Complex',
  requirement: 'One oadrCreatedEvent answering two events (a SIMPLE and an ELECTRICITY_PRICE event, one optIn, one optOut) is answered 200 and each answer is held.',
  run: mixedCreatedEvent,
});
