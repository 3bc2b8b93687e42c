import { venCase } from './scenarios/common.js';
import { createOptQualification } from './scenarios/events.js';

export default venCase({
  id: 'E1_1065_TH_VTN', delivery: 'pull',
  notApplicable: 'the certification specification runs this case against a VEN only in self-test; it checks the VTN (E1_1065_TH_VEN)',
  title: 'VEN Ignore oadrCreatedEvent',
  requirement: '(VTN-side requirement: an event opt takes precedence over a later oadrCreatedEvent.)',
  run: createOptQualification,
});
