import { vtnCase } from './scenarios/common.js';
import { createOptQualification } from './scenarios/events.js';

export default vtnCase({
  id: 'E1_1060_TH_VEN', delivery: 'pull', needs: ['issueEvent'],
  title: 'VEN CreateOpt Qualification',
  requirement: 'An oadrCreateOpt naming an event (qualifiedEventID) and one of its resources is answered with oadrCreatedOpt 200 echoing the optID.',
  run: createOptQualification,
});
