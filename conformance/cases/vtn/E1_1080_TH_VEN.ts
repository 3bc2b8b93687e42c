import { vtnCase } from './scenarios/common.js';
import { caseSensitivity } from './scenarios/events.js';

export default vtnCase({
  id: 'E1_1080_TH_VEN', delivery: 'pull', needs: ['issueEvent'],
  title: 'VTN/VEN Event - Negative Test, Case Sensitivity',
  requirement: 'IDs are case-sensitive: an oadrCreatedEvent whose venID differs from the assigned one only in case is refused with 452.',
  run: caseSensitivity,
});
