import { venCase } from './scenarios/common.js';
import { dequeue } from './scenarios/general.js';

export default venCase({
  id: 'G1_4015_TH_VTN', delivery: 'pull',
  title: 'VEN - De-Queue using oadrPoll',
  requirement: 'Payloads queued together (a distribute, a report request, a re-registration request) are all taken by polling and handled.',
  run: dequeue,
});
