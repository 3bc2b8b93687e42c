import { venCase } from './scenarios/common.js';
import { baselineEvent } from './scenarios/events.js';

export default venCase({
  id: 'E1_1027_TH_VTN', delivery: 'pull',
  title: 'VTN Event - Event with Baseline',
  requirement: 'An event carrying an eiEventBaseline is answered with oadrCreatedEvent 200 and an optType.',
  run: baselineEvent,
});
