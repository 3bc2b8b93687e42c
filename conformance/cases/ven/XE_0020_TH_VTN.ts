import { venCase } from './scenarios/common.js';
import { responseNever } from './scenarios/events.js';

export default venCase({
  id: 'XE_0020_TH_VTN', delivery: 'pull',
  title: 'FlexBridge events - responseRequired never',
  requirement: 'An event with responseRequired=never gets no oadrCreatedEvent.',
  run: responseNever,
});
