import { venCase } from './scenarios/common.js';
import { baselineEvent } from './scenarios/events.js';

export default venCase({
  id: 'E0_6027_TH_VTN', delivery: 'push',
  title: 'VTN Event - Event with Baseline',
  requirement: 'An event carrying an eiEventBaseline is answered with oadrCreatedEvent 200 and an optType.',
  run: baselineEvent,
});
