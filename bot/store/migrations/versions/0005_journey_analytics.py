"""journey analytics: request intent, problem category, repeat-contact indexes

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 16:30:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('journey_conversations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('request_intent', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('problem_category', sa.String(length=40), nullable=True))
        batch_op.create_index('ix_journey_conversations_sender_started', ['sender_id', 'started_at'], unique=False)
        batch_op.create_index('ix_journey_conversations_order_started', ['order_hash', 'started_at'], unique=False)

    with op.batch_alter_table('journey_turns', schema=None) as batch_op:
        batch_op.create_index('ix_journey_turns_fallback_stage', ['fallback', 'stage'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('journey_turns', schema=None) as batch_op:
        batch_op.drop_index('ix_journey_turns_fallback_stage')

    with op.batch_alter_table('journey_conversations', schema=None) as batch_op:
        batch_op.drop_index('ix_journey_conversations_order_started')
        batch_op.drop_index('ix_journey_conversations_sender_started')
        batch_op.drop_column('problem_category')
        batch_op.drop_column('request_intent')
