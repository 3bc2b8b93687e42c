import { venCase } from './scenarios/common.js';
import { requestEvent } from './scenarios/events.js';

export default venCase({
  id: 'E0_6050_TH_VTN', delivery: 'push',
  title: 'VEN Event - Use of oadrRequestEvent',
  requirement: 'The VEN asks for its events with oadrRequestEvent and answers the events it gets.',
  run: requestEvent,
});
