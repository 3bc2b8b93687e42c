import { venCase } from './scenarios/common.js';
import { priceEvent } from './scenarios/events.js';

export default venCase({
  id: 'E1_1020_TH_VTN', delivery: 'pull',
  title: 'VTN Event - Electricity Price Event',
  requirement: 'An ELECTRICITY_PRICE event (responseRequired always) is answered with oadrCreatedEvent: its eventID, modificationNumber 0, responseCode 200 and an optType.',
  run: priceEvent,
});
