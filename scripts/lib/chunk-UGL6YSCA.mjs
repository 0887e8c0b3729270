// Generated from src/ by `npm run build`. Do not edit by hand.
var SNAKE_CASE_IMAGE_OPTIONS={size:"size",aspect_ratio:"aspect-ratio",quality:"quality",background:"background",format:"format",compression:"compression",moderation:"moderation",input_fidelity:"input-fidelity",image_model:"image-model",count:"count"};export{SNAKE_CASE_IMAGE_OPTIONS};
