"""The versioned REST API (`/api/v1/`): one view per use case, each with its input and output serializers.

Views parse, call the same services and selectors the pages call (`lessons.services`, `lessons.selectors`),
and serialize. The serializers a student or learner reaches have no field that can hold key material;
feedback comes only from `selectors.feedback` and only where `policy.feedback_released` allows it.
"""
