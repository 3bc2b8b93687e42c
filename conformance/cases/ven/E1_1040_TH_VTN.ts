import { venCase } from './scenarios/common.js';
import { mixedEvents } from './scenarios/events.js';

export default venCase({
  id: 'E1_1040_TH_VTN', delivery: 'pull',
  title: 'VTN Event - x Created Events, Mixed Simple/Complex',
  requirement: 'A distribute holding a SIMPLE and an ELECTRICITY_PRICE event is answered for both.',
  run: mixedEvents,
});
