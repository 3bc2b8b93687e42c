import { venCase } from './scenarios/common.js';
import { createOptQualification } from './scenarios/events.js';

export default venCase({
  id: 'E1_1060_TH_VTN', delivery: 'pull', control: true,
  title: 'VEN CreateOpt Qualification',
  requirement: 'Told to, the VEN opts a resource out of an event with oadrCreateOpt naming the event (qualifiedEventID) and the resource.',
  run: createOptQualification,
});
