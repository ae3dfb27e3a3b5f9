"""Planner logic: candidates, ranking, gap matrix, decision sheet, commune profile."""
