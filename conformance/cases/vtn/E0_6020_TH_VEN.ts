import { vtnCase } from './scenarios/common.js';
import { priceEvent } from './scenarios/events.js';

export default vtnCase({
  id: 'E0_6020_TH_VEN', delivery: 'push', needs: ['issueEvent'],
  title: 'VTN Event - Electricity Price Event',
  requirement: 'An ELECTRICITY_PRICE (price) event reaches the VEN with modificationNumber 0, interval uids from 0 and responseRequired always; the VEN\'s optIn is answered 200 and the VTN holds the VEN as opted in.',
  run: priceEvent,
});
