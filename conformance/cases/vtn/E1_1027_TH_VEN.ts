import { vtnCase } from './scenarios/common.js';
import { baselineEvent } from './scenarios/events.js';

export default vtnCase({
  id: 'E1_1027_TH_VEN', delivery: 'pull', needs: ['issueEvent'],
  title: 'VTN Event - Event with Baseline',
  requirement: 'An event with an eiEventBaseline reaches the VEN with its baseline intervals (before the event) and its optIn is answered 200.',
  run: baselineEvent,
});
