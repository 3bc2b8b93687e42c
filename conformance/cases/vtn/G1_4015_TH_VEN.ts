import { vtnCase } from './scenarios/common.js';
import { dequeue } from './scenarios/general.js';

export default vtnCase({
  id: 'G1_4015_TH_VEN', delivery: 'pull', needs: ['issueEvent', 'requestReports', 'requestReregistration'],
  title: 'VEN - De-Queue using oadrPoll',
  requirement: 'Payloads queued for a VEN (a distribute, a report request, a re-registration request) come out one per poll in the order queued, then oadrResponse.',
  run: dequeue,
});
