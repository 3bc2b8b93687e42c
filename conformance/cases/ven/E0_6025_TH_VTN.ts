import { venCase } from './scenarios/common.js';
import { dispatchEvent } from './scenarios/events.js';

export default venCase({
  id: 'E0_6025_TH_VTN', delivery: 'push',
  title: 'VTN Event - Load Dispatch Event',
  requirement: 'A LOAD_DISPATCH setpoint event is answered with oadrCreatedEvent 200 and an optType.',
  run: dispatchEvent,
});
